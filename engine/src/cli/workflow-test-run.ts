import { basename, relative, resolve } from "node:path";
import { formatFileProblem } from "../apps/read-entity-files";
import { readWorkflowFiles } from "../apps/read-workflow-files";
import { MetadataRegistry } from "../metadata/registry";
import { type ReplayResult, readRealInstances, replayInstances } from "../workflow/harness/replay-instances";
import { packageRootOf, runScenarios, type ScenarioResult } from "../workflow/harness/run-scenarios";
import type { ScenarioBackend } from "../workflow/harness/scenario-databases";
import { openCliDatabase } from "./cli-database";
import { type CliIo, writeLines } from "./cli-io";
import { UsageError } from "./usage-error";

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
  const backend = backendOf(io);
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

function backendOf(io: CliIo): ScenarioBackend {
  return io.env.DATABASE_URL ? { kind: "postgres", url: io.env.DATABASE_URL } : { kind: "pglite" };
}

/** One line per replayed instance: `= id v1: same path (…)` or `≠ id v1: differs at element 3: was X, now Y`. */
export function replayLine(r: ReplayResult): string {
  const head = `${r.instanceId} v${r.version}`;
  if (r.differsAt === undefined) return `= ${head}: same path (${r.realPath.join(" → ") || "nothing ran"})`;
  const was = r.realPath[r.differsAt] ?? "(ended)";
  const now = r.newPath[r.differsAt] ?? "(ended)";
  return `≠ ${head}: differs at element ${r.differsAt + 1}: was ${was}, now ${now}${r.note ? ` — ${r.note}` : ""}`;
}

/**
 * `kehu workflow test <dir> --replay <key> --last N`: the last N instances of <key> in the database of the environment,
 * re-run on the package's XML of <key> on throw-away databases; 1 when any path differs.
 */
export async function workflowReplay(dir: string, key: string, last: number, io: CliIo): Promise<number> {
  const root = packageRootOf(resolve(io.cwd, dir));
  if (!root)
    throw new UsageError(`${dir} is not in an app package (a folder with kehu.app.yaml or workflows/)`, "workflow");
  const workflows = readWorkflowFiles(root);
  if (!workflows.files.some((f) => f.key === key))
    throw new UsageError(`the package has no workflows/${key}.bpmn to replay`, "workflow");
  const { db } = await openCliDatabase(io, true);
  let real: Awaited<ReturnType<typeof readRealInstances>>;
  try {
    const registry = new MetadataRegistry(db.knex);
    await registry.refresh();
    real = await readRealInstances(db.knex, (n) => registry.get(n), key, last);
  } finally {
    await db.close();
  }
  if (!real.length) {
    writeLines(io.stdout, `No instance of ${key} to replay.`);
    return 0;
  }
  writeLines(
    io.stdout,
    `Replaying the last ${real.length} instance${real.length === 1 ? "" : "s"} of ${key} on the package's XML…`,
  );
  const results = await replayInstances(root, key, real, backendOf(io));
  writeLines(io.stdout, ...results.map(replayLine));
  const differ = results.filter((r) => r.differsAt !== undefined).length;
  writeLines(io.stdout, `${results.length - differ} same, ${differ} different.`);
  return differ ? 1 : 0;
}
