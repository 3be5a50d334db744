import { fileURLToPath } from "node:url";
import { AppError } from "@kehu/core";
import { installAppAccess, readAppAccess } from "../apps/app-access";
import { ensureDemoUsers } from "../apps/demo-users";
import { formatFileProblem, readEntityFiles } from "../apps/read-entity-files";
import { seedEmptyEntities } from "../apps/seed-records";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "../metadata/apply-entities";
import { applyDashboardFiles } from "../reports/apply-dashboard-files";
import { createApiToken } from "../security/api-tokens";
import { findUserByLogin } from "../security/users";

/** The folder of an example template: `examples/<name>`. */
export function templateDir(name: string): string {
  return fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url));
}

/**
 * Applies a template's entities, departments, roles and dashboards as `kehu apply` does (no seed data), for scenario
 * tests.
 */
export async function applyTemplate(ctx: EngineContext, name: string): Promise<void> {
  const dir = templateDir(name);
  const { files, problems } = readEntityFiles(dir, () => true);
  if (problems.length) throw new AppError("validation_failed", `examples/${name}: ${problems[0].message}`);
  await applyEntities(
    ctx,
    files.map((f) => f.definition),
    { actor: "test", confirm: true },
  );
  await installAppAccess(ctx, readAppAccess(dir));
  const dashboards = await applyDashboardFiles(ctx.db.knex, ctx.registry, dir, "test");
  if (dashboards.problems.length)
    throw new AppError("validation_failed", `examples/${name}: ${formatFileProblem(dashboards.problems[0])}`);
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
