import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDemoUsers } from "../apps/demo-users";
import { formatFileProblem } from "../apps/read-entity-files";
import { seedEmptyEntities } from "../apps/seed-records";
import type { EngineContext } from "../engine-context";
import { createApiToken } from "../security/api-tokens";
import { findUserByLogin } from "../security/users";
import { installAppPackage } from "../workflow/harness/install-package";
import { runScenarios } from "../workflow/harness/run-scenarios";
import type { ScenarioBackend } from "../workflow/harness/scenario-databases";

/** The folder of an example template: `examples/<name>`. */
export function templateDir(name: string): string {
  return fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url));
}

/**
 * Applies a template's entities, departments, roles, forms, dashboards and workflows (with their triggers) as `kehu
 * apply` does (no seed
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

/**
 * Loads a template's demo users (all with `password`) and its seed records, as `kehu demo` does, and returns an API
 * token per demo login for acting as them.
 */
export async function seedTemplate(
  ctx: EngineContext,
  name: string,
  password = "kehu-demo-pw",
): Promise<Record<string, string>> {
  const dir = templateDir(name);
  const logins = await ensureDemoUsers(ctx, dir, password);
  await seedEmptyEntities(ctx, dir, "test");
  const tokens: Record<string, string> = {};
  for (const login of logins) {
    const user = await findUserByLogin(ctx.db.knex, login);
    if (user)
      tokens[login] = (
        await createApiToken(ctx.db.knex, user.id as string, { name: "test", access: "write", entities: null })
      ).token;
  }
  return tokens;
}
