import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type FileProblem, findEntityFiles, readEntityFiles } from "../../apps/read-entity-files";
import { readWorkflowFiles } from "../../apps/read-workflow-files";
import { createEngine } from "../../create-engine";
import { createLogger } from "../../logger";
import type { Database } from "../../storage/database";
import { installAppPackage } from "./install-package";
import { prepareScenarioDatabases, type ScenarioBackend } from "./scenario-databases";
import { readScenarioFiles, type Scenario } from "./scenario-file";
import { runStep } from "./scenario-steps";
import { ScenarioError, ScenarioWorld } from "./scenario-world";

/** How one scenario went: passed, or the step (1-based; 0 for `given`) that failed and why. */
export interface ScenarioResult {
  file: string;
  name: string;
  passed: boolean;
  step?: number;
  message?: string;
}

/** A run of every scenario under a folder, or the problems that kept it from running. */
export interface ScenarioRun {
  root?: string;
  results: ScenarioResult[];
  problems: FileProblem[];
}

const SKIP = new Set(["node_modules", ".git", ".kehu"]);

/** Every `*.scenario.yaml` (or `.yml`) under `dir`, by path. */
export function findScenarioFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP.has(name)) out.push(...findScenarioFiles(path));
    } else if (/\.scenario\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** The app package a folder belongs to: itself or the nearest parent with `kehu.app.yaml` or a `workflows` folder. */
export function packageRootOf(dir: string): string | undefined {
  let at = resolve(dir);
  for (let up = 0; up < 4; up++) {
    if (existsSync(join(at, "kehu.app.yaml")) || existsSync(join(at, "workflows", "."))) return at;
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  return undefined;
}

/** Runs one scenario on its own database: given, then each step; the first failing step ends it. */
async function runScenario(db: Database, scenario: Scenario): Promise<ScenarioResult> {
  const engine = await createEngine(db, createLogger("silent"));
  const result = { file: scenario.file, name: scenario.name };
  let step = 0;
  try {
    const world = new ScenarioWorld(engine, scenario);
    await world.given(scenario);
    await world.settle();
    for (const s of scenario.steps) {
      step++;
      await runStep(world, s);
    }
    return { ...result, passed: true };
  } catch (e) {
    const message = e instanceof ScenarioError ? e.message : `unexpected error: ${(e as Error).message}`;
    return { ...result, passed: false, step, message };
  } finally {
    await engine.close();
  }
}

/**
 * Runs the scenarios under `dir` (a package root, its workflows folder or any folder below it) against the package's
 * entities, roles and workflows: each on a fresh copy of one prepared database, on a virtual clock. `onResult` hears
 * each result as it comes.
 */
export async function runScenarios(
  dir: string,
  options: { backend: ScenarioBackend; onResult?: (r: ScenarioResult) => void },
): Promise<ScenarioRun> {
  const folder = resolve(dir);
  if (!existsSync(folder)) return { results: [], problems: [{ file: dir, message: "no such directory" }] };
  const root = packageRootOf(folder);
  if (!root)
    return {
      results: [],
      problems: [{ file: dir, message: "is not in an app package (a folder with kehu.app.yaml or workflows/)" }],
    };
  const files = findScenarioFiles(folder);
  if (!files.length) return { root, results: [], problems: [{ file: dir, message: "has no *.scenario.yaml files" }] };
  const { scenarios, problems } = readScenarioFiles(files);
  if (findEntityFiles(root).length) problems.push(...readEntityFiles(root, () => true).problems);
  problems.push(...readWorkflowFiles(root).problems);
  if (problems.length) return { root, results: [], problems };

  let databases: Awaited<ReturnType<typeof prepareScenarioDatabases>>;
  try {
    databases = await prepareScenarioDatabases(options.backend, async (db) => {
      const engine = await createEngine({ ...db, close: async () => {} }, createLogger("silent"));
      await installAppPackage(engine.ctx, root, "scenario");
    });
  } catch (e) {
    return { root, results: [], problems: [{ file: root, message: (e as Error).message }] };
  }
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      const result = await runScenario(await databases.fresh(), scenario);
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    await databases.close();
  }
  return { root, results, problems: [] };
}
