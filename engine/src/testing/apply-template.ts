import { isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import type { EngineContext } from "../engine-context";
import { installAppPackage } from "../workflow/harness/install-package";

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
