#!/usr/bin/env node
// Runs the whole vitest suite on the embedded PGlite, then again on PostgreSQL when DATABASE_URL is set,
// and closes with one "N passed, N failed" line over both runs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const extraArgs = process.argv.slice(2);
const runs = [{ name: "pglite", env: { DATABASE_URL: "" } }];
if (process.env.DATABASE_URL) runs.push({ name: "postgres", env: { DATABASE_URL: process.env.DATABASE_URL } });

const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
const out = mkdtempSync(join(tmpdir(), "kehu-test-report-"));
for (const run of runs) {
  console.log(`\n=== tests on ${run.name} ===`);
  const report = join(out, `${run.name}.json`);
  const env = { ...process.env, ...run.env };
  if (!env.DATABASE_URL) delete env.DATABASE_URL;
  const result = spawnSync(
    "pnpm",
    ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extraArgs],
    { stdio: "inherit", env },
  );
  if (result.status !== 0) exitCode = 1;
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    const counts = {
      passed: json.numPassedTests,
      failed: json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0),
      skipped: json.numPendingTests + json.numTodoTests,
    };
    console.log(`${run.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    for (const k of Object.keys(totals)) totals[k] += counts[k];
    if (json.numTotalTests === 0) exitCode = 1;
  } catch {
    console.log(`${run.name}: no report (the run crashed)`);
    exitCode = 1;
    totals.failed += 1;
  }
}
rmSync(out, { recursive: true, force: true });
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
