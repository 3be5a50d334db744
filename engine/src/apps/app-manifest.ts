import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { FileProblem } from "./read-entity-files";

/** `kehu.app.yaml`: what names an app package and its version; the rest of the package is found by convention. */
export interface AppManifest {
  name: string;
  version: string;
  label?: Record<string, string>;
}

export const MANIFEST_FILE = "kehu.app.yaml";
const APP_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Reads `<dir>/kehu.app.yaml`. A folder without one is a plain folder of entity files (`manifest` undefined):
 * it is applied as before and no installed version is recorded.
 */
export function readAppManifest(dir: string): { manifest?: AppManifest; problems: FileProblem[] } {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return { problems: [] };
  let value: unknown;
  try {
    value = parse(readFileSync(file, "utf8"));
  } catch (e) {
    return { problems: [{ file, message: (e as Error).message.split("\n")[0] }] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { problems: [{ file, message: "must be a mapping with name and version" }] };
  const { name, version, label } = value as Record<string, unknown>;
  const problems: FileProblem[] = [];
  if (typeof name !== "string" || !APP_NAME.test(name))
    problems.push({ file, path: "/name", message: "must be a lower-case name such as building-materials" });
  if (typeof version !== "string" && typeof version !== "number")
    problems.push({ file, path: "/version", message: "must be a version such as 1.2.0" });
  if (problems.length) return { problems };
  return {
    manifest: { name: name as string, version: String(version), label: label as Record<string, string> | undefined },
    problems: [],
  };
}
