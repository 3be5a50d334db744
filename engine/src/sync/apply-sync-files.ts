import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError, type Issue, isAppError } from "@kehu/core";
import type { Knex } from "knex";
import { parse } from "yaml";
import { saveConnection } from "./connection-store";
import { saveMapping } from "./mapping-store";
import type { SyncServices } from "./sync-services";

/** Whether an app package has a `sync/` folder of connections and mappings to install. */
export function hasSyncFolder(dir: string): boolean {
  return existsSync(join(dir, "sync"));
}

/**
 * Saves the connections (`*.connection.yaml`) and then the mappings (`*.mapping.yaml`) of a folder: `<dir>/sync`
 * when it exists, else `<dir>` itself. `${ENV}` references stay as written and are resolved when a session opens.
 * Every file's problems are reported together, with the file in the path; nothing is saved when one is bad.
 */
export async function applySyncFiles(
  services: SyncServices,
  dir: string,
): Promise<{ connections: string[]; mappings: string[] }> {
  const folder = existsSync(join(dir, "sync")) ? join(dir, "sync") : dir;
  const files = readdirSync(folder).sort();
  const unreadable: Issue[] = [];
  const read = (suffix: string) =>
    files
      .filter((f) => f.endsWith(suffix))
      .flatMap((f) => {
        try {
          return [{ file: f, body: parse(readFileSync(join(folder, f), "utf8")) as unknown }];
        } catch (e) {
          // The parser's message opens with the problem and its line; a code frame follows.
          const first = (e as Error).message.split("\n")[0].replace(/:$/, "");
          unreadable.push({ path: f, message: `is not valid YAML: ${first}` });
          return [];
        }
      });
  const connections = read(".connection.yaml");
  const mappings = read(".mapping.yaml");
  if (unreadable.length)
    throw new AppError("validation_failed", `The sync files in ${folder} are not valid; nothing was saved`, unreadable);
  if (!connections.length && !mappings.length)
    throw new AppError("validation_failed", `No *.connection.yaml or *.mapping.yaml files in ${folder}`);
  const saved = { connections: [] as string[], mappings: [] as string[] };
  await services.knex.transaction(async (trx) => {
    const issues: Issue[] = [];
    const each = async (
      items: typeof connections,
      save: (sp: Knex, body: unknown) => Promise<string>,
      into: string[],
    ) => {
      for (const { file, body } of items)
        try {
          into.push(await trx.transaction((sp) => save(sp, body)));
        } catch (e) {
          if (!isAppError(e)) throw e;
          const found = e.issues.length ? e.issues : [{ path: "", message: e.message }];
          issues.push(...found.map((i) => ({ path: `${file}${i.path}`, message: i.message })));
        }
    };
    await each(
      connections,
      async (sp, b) => (await saveConnection({ ...services, knex: sp }, b)).name,
      saved.connections,
    );
    await each(mappings, async (sp, b) => (await saveMapping(sp, services.registry, b)).name, saved.mappings);
    if (issues.length)
      throw new AppError("validation_failed", `The sync files in ${folder} are not valid; nothing was saved`, issues);
  });
  return saved;
}
