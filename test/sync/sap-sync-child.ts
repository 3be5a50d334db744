// A sync run against a SAP B1 simulator in a process of its own, killed by the test mid-run: prints each committed page.
import { createEngine } from "../../engine/src/create-engine";
import { createLogger } from "../../engine/src/logger";
import { openDatabase } from "../../engine/src/storage/database";
import { runSync } from "../../engine/src/sync/run-sync";
import { loadSecretBox } from "../../engine/src/sync/secret-box";
import { syncServicesOf } from "../../engine/src/sync/sync-services";

const url = process.env.KILL_DATABASE_URL;
const dataDir = process.env.KILL_DATA_DIR;
if (!url && !dataDir) throw new Error("set KILL_DATABASE_URL or KILL_DATA_DIR");
const db = await openDatabase(url ? { backend: "postgres", url } : { backend: "pglite", dataDir });
const engine = await createEngine(db, createLogger("silent"));
const services = syncServicesOf(engine.ctx, { secrets: loadSecretBox(process.env, process.cwd()) });
const run = await runSync(services, {
  connection: "sap",
  onProgress: (e) => process.stdout.write(`page ${e.page} read ${e.counts.read}\n`),
});
process.stdout.write(`done ${run.status}\n`);
await engine.close();
