import { fileURLToPath } from "node:url";
import { AppError } from "@kehu/core";
import { installAppAccess, readAppAccess } from "../apps/app-access";
import { readEntityFiles } from "../apps/read-entity-files";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "../metadata/apply-entities";

/** The folder of an example template: `examples/<name>`. */
export function templateDir(name: string): string {
  return fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url));
}

/** Applies a template's entities, departments and roles as `kehu apply` does (no seed data), for scenario tests. */
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
}
