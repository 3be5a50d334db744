import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { formatFileProblem } from "../apps/read-entity-files";
import type { EngineContext } from "../engine-context";
import { installAppPackage } from "../workflow/harness/install-package";
import { runScenarios } from "../workflow/harness/run-scenarios";
import type { ScenarioBackend } from "../workflow/harness/scenario-databases";

/** The folder of an example template: `examples/<name>`. */
export function templateDir(name: string): string {
  return fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url));
}

/**
 * Applies a template's entities, departments, roles and workflows (with their triggers) as `kehu apply` does (no seed
 * data), for scenario tests. `name` is a folder of examples/ or the absolute path of any app package.
 */
export async function applyTemplate(ctx: EngineContext, name: string): Promise<void> {
  await installAppPackage(ctx, isAbsolute(name) ? name : templateDir(name), "test");
}

/**
 * Runs the scenario files of a template (`examples/<name>/**\/*.scenario.yaml`) as `kehu workflow test` does, each on a
 * fresh copy of a test database with the template applied. Returns the failures as `file — step n: message` lines
 * (none when every scenario passes or the template has none); problems with the files are failures too.
 */
export async function templateScenarioFailures(name: string): Promise<string[]> {
  const url = process.env.DATABASE_URL;
  const backend: ScenarioBackend = url
    ? { kind: "postgres", url }
    : { kind: "pglite", base: new Blob([readFileSync((await import("vitest")).inject("pgliteBase"))]) };
  const dir = templateDir(name);
  const run = await runScenarios(dir, { backend });
  if (run.problems.some((p) => /has no \*\.scenario\.yaml files/.test(p.message))) return [];
  return [
    ...run.problems.map((p) => formatFileProblem({ ...p, file: relative(dir, p.file) || p.file })),
    ...run.results
      .filter((r) => !r.passed)
      .map((r) => `${relative(dir, r.file)}: ${r.name} — ${r.step ? `step ${r.step}` : "given"}: ${r.message}`),
  ];
}
