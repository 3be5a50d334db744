import { isAppError } from "@kehu/core";
import type { EngineContext } from "../engine-context";
import { applySyncFiles, hasSyncFolder } from "../sync/apply-sync-files";
import { loadSecretBox } from "../sync/secret-box";
import { syncServicesOf } from "../sync/sync-services";
import { type CliIo, writeLines } from "./cli-io";

/**
 * The sync step of `kehu apply`: `<dir>/sync/*.connection.yaml` and `*.mapping.yaml` once entities are in force
 * (mappings are checked against them); 1 when a file is wrong, and then none is saved.
 */
export async function applySyncStep(ctx: EngineContext, folder: string, io: CliIo): Promise<number> {
  if (!hasSyncFolder(folder)) return 0;
  const services = syncServicesOf(ctx, { env: io.env, secrets: loadSecretBox(io.env, io.cwd) });
  try {
    const saved = await applySyncFiles(services, folder);
    writeLines(
      io.stdout,
      `Sync: ${saved.connections.length} connection(s) (${saved.connections.join(", ")}), ${saved.mappings.length} mapping(s) (${saved.mappings.join(", ")}).`,
    );
    return 0;
  } catch (e) {
    if (!isAppError(e)) throw e;
    writeLines(io.stderr, `error: ${e.message}`, ...e.issues.map((i) => `  ${i.path}: ${i.message}`));
    return 1;
  }
}
