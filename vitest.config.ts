import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "engine/src/**/*.test.ts",
      "connectors/*/src/**/*.test.ts",
      "connectors/*/simulator/**/*.test.ts",
      "test/**/*.test.ts",
      "studio/src/**/*.test.{ts,tsx}",
      "studio/*.test.ts",
    ],
    globalSetup: ["engine/src/testing/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: "forks",
  },
});
