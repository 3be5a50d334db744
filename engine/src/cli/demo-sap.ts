import type { SapB1Simulator } from "@kehu/connector-sap-b1/simulator";
import { createEngine } from "../create-engine";
import { hasSyncFolder } from "../sync/apply-sync-files";
import { checkConnection, listConnections } from "../sync/connection-store";
import { listMappings } from "../sync/mapping-store";
import { pullOrder } from "../sync/pull-order";
import { runSync } from "../sync/run-sync";
import { loadSecretBox } from "../sync/secret-box";
import { syncServicesOf } from "../sync/sync-services";
import { openCliDatabase } from "./cli-database";
import { type CliIo, writeLines } from "./cli-io";
import { cliLogger } from "./cli-logger";
import { mirrorTemplateInSap } from "./template-sap-data";

/**
 * For `kehu demo`: starts the SAP B1 simulator on a free local port with data matching the template's seed, points
 * the template's SAP connections at it (SAP_B1_* in the environment, for this process and the server it starts),
 * and runs every mapping once, one summary line each. Returns the simulator, which keeps serving until closed;
 * undefined when the template has no sync/ folder.
 */
export async function startDemoSap(dir: string, io: CliIo): Promise<SapB1Simulator | undefined> {
  if (!hasSyncFolder(dir)) return undefined;
  const { defaultCredentials, startSapB1Simulator } = await import("@kehu/connector-sap-b1/simulator");
  const sim = await startSapB1Simulator({ seed: "empty" });
  const env = {
    SAP_B1_URL: sim.origin,
    SAP_B1_COMPANY: defaultCredentials.companyDB,
    SAP_B1_USER: defaultCredentials.userName,
    SAP_B1_PASSWORD: defaultCredentials.password,
  };
  Object.assign(io.env, env);
  if (io.env !== process.env) Object.assign(process.env, env);
  const { db } = await openCliDatabase(io, true);
  const engine = await createEngine(db, cliLogger(io));
  try {
    // The simulator forgets between demo runs; documents synced by an earlier run are not made again, since the
    // fresh simulator would number new ones as the old (an ERP's document numbers are never reused).
    const knex = engine.ctx.db.knex;
    const synced = await knex("kehu.sync_links").where({ stream: "incoming_payments" }).first("id");
    const mirror = await mirrorTemplateInSap(knex, sim.store, synced ? { payments: 0 } : {});
    writeLines(
      io.stdout,
      `SAP Business One simulator at ${sim.origin}/b1s/v2 (${mirror.partners} business partners, ${mirror.items} items, ${mirror.invoices} invoices, ${mirror.payments} incoming payments).`,
    );
    const services = syncServicesOf(engine.ctx, { env: io.env, secrets: loadSecretBox(io.env, io.cwd) });
    for (const connection of await listConnections(services)) {
      if (connection.connector !== "sap-b1") continue;
      const checked = await checkConnection(services, connection.name);
      if (!checked.ok) {
        writeLines(io.stderr, `Sync ${connection.name}: the simulator did not answer (${checked.message}).`);
        continue;
      }
      const mappings = await listMappings(services.knex, { connection: connection.name });
      const ordered = [...pullOrder(mappings), ...mappings.filter((m) => m.direction === "push")];
      for (const m of ordered) {
        const run = await runSync(services, {
          connection: connection.name,
          streams: [m.stream],
          trigger: "cli",
          startedBy: "demo",
        });
        const arrow = m.direction === "push" ? `${m.entity} → ${m.stream}` : `${m.stream} → ${m.entity}`;
        writeLines(
          io.stdout,
          `Sync ${m.name} (${arrow}): read ${run.read}, created ${run.created}, updated ${run.updated}, unchanged ${run.unchanged}, failed ${run.failed}${run.error ? ` — ${run.error}` : ""}`,
        );
      }
    }
    return sim;
  } catch (e) {
    await sim.close();
    throw e;
  } finally {
    await engine.close();
  }
}
