import { defineConfig } from "vitest/config";

// Server-side test files share one module graph per worker (isolate: false): importing the engine afresh for every
// file cost about half of the suite's time. The studio's files keep their own DOM environment and globals.
const serverFiles = [
  "packages/*/src/**/*.test.ts",
  "engine/src/**/*.test.ts",
  "connectors/*/src/**/*.test.ts",
  "connectors/*/simulator/**/*.test.ts",
  "test/**/*.test.ts",
];
const studioFiles = ["studio/src/**/*.test.{ts,tsx}", "studio/*.test.ts"];

export default defineConfig({
  test: {
    globalSetup: ["engine/src/testing/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: "forks",
    // Two workers on a 2-core machine: a PGlite file's database runs in its worker's own process, so one worker left a
    // core idle (PGlite half of the suite: 635 s with one worker, 440 s with two, measured once each under other load).
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "server", include: serverFiles, isolate: false } },
      { extends: true, test: { name: "studio", include: studioFiles } },
    ],
  },
});
