#!/usr/bin/env node
// Builds the studio (studio/dist) when it is missing or older than its sources, so `pnpm demo`, `pnpm start`
// and the browser tests always serve the current studio. `--force` builds anyway.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "studio/dist/index.html");
const sources = [
  "studio/src",
  "studio/index.html",
  "studio/vite.config.ts",
  "studio/bundle-budget.ts",
  "studio/package.json",
  "packages/client/src",
  "packages/core/src",
  "packages/schema/src",
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const stale =
  process.argv.includes("--force") ||
  !existsSync(built) ||
  statSync(built).mtimeMs < Math.max(...sources.map((s) => newest(join(root, s))));
if (!stale) {
  console.log("Studio is up to date (studio/dist).");
  process.exit(0);
}
console.log("Building the studio…");
// Under vitest NODE_ENV is "test", which would bundle React's development build.
const env = { ...process.env, NODE_ENV: "production" };
const result = spawnSync("pnpm", ["--filter", "@kehu/studio", "build"], { cwd: root, stdio: "inherit", env });
process.exit(result.status ?? 1);
