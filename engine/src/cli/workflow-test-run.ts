import { basename, relative, resolve } from "node:path";
import { formatFileProblem } from "../apps/read-entity-files";
import { runScenarios, type ScenarioResult } from "../workflow/harness/run-scenarios";
import type { ScenarioBackend } from "../workflow/harness/scenario-databases";
import { type CliIo, writeLines } from "./cli-io";

/** One line per scenario: `✓ name` or `✗ name — step 3: expected lead.owner = sales02, got sales01`. */
export function scenarioLine(r: ScenarioResult): string {
  if (r.passed) return `✓ ${r.name}`;
  return `✗ ${r.name} — ${r.step ? `step ${r.step}` : "given"}: ${r.message}`;
}

/**
 * `kehu workflow test <dir>`: runs the scenarios under <dir> against its app package, on throw-away databases (PGlite
 * in memory, or new databases on the server of DATABASE_URL, dropped afterwards). 1 when any scenario fails.
 */
export async function workflowTest(dir: string, io: CliIo): Promise<number> {
  const started = performance.now();
  const backend: ScenarioBackend = io.env.DATABASE_URL
    ? { kind: "postgres", url: io.env.DATABASE_URL }
    : { kind: "pglite" };
  const where = backend.kind === "postgres" ? "throw-away PostgreSQL databases" : "PGlite in memory";
  writeLines(io.stdout, `Testing the scenarios under ${dir} on ${where}…`);
  const run = await runScenarios(resolve(io.cwd, dir), {
    backend,
    onResult: (r) => writeLines(io.stdout, scenarioLine(r)),
  });
  if (run.problems.length) {
    const show = (file: string) => (file.startsWith("/") ? relative(io.cwd, file) || basename(file) : file);
    writeLines(
      io.stderr,
      ...run.problems.map((p) => formatFileProblem({ ...p, file: show(p.file) })),
      `${run.problems.length} problem${run.problems.length === 1 ? "" : "s"}; no scenario was run.`,
    );
    return 1;
  }
  const failed = run.results.filter((r) => !r.passed).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  writeLines(
    io.stdout,
    `${run.results.length - failed} passed, ${failed} failed (${run.results.length} scenario${run.results.length === 1 ? "" : "s"}, ${seconds} s).`,
  );
  return failed ? 1 : 0;
}
