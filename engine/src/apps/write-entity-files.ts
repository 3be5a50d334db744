import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EntityDefinition } from "@kehu/schema";
import { entityToYaml } from "./entity-yaml";
import { ENTITY_FILE_PATTERN } from "./read-entity-files";

/** What exporting did to each file, and entity files in the folder that no entity wrote. */
export interface WriteEntityFilesResult {
  files: Array<{ file: string; status: "created" | "changed" | "unchanged" }>;
  /** Files already there for entities that do not exist; left alone. */
  others: string[];
}

/** Writes each entity to `<dir>/entities/<name>.entity.yaml` (files whose text is unchanged are not touched). */
export function writeEntityFiles(dir: string, definitions: readonly EntityDefinition[]): WriteEntityFilesResult {
  const folder = join(dir, "entities");
  mkdirSync(folder, { recursive: true });
  const files: WriteEntityFilesResult["files"] = [];
  const written = new Set<string>();
  for (const definition of [...definitions].sort((a, b) => a.name.localeCompare(b.name))) {
    const name = `${definition.name}.entity.yaml`;
    const file = join(folder, name);
    const text = entityToYaml(definition);
    const before = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (before !== text) writeFileSync(file, text);
    files.push({ file, status: before === undefined ? "created" : before === text ? "unchanged" : "changed" });
    written.add(name);
  }
  const others = readdirSync(folder)
    .filter((n) => ENTITY_FILE_PATTERN.test(n) && !written.has(n))
    .sort()
    .map((n) => join(folder, n));
  return { files, others };
}
