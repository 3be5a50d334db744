import { randomBytes } from "node:crypto";
import { createTestUser, defineEntities, startTestEngine, type TestEngine } from "../../testing";
import { MemorySystem, memoryConnector } from "./memory-connector";
import { accountMapping, bpEntity } from "./sync-test-bed";

/** An engine serving the sync API over a memory ERP: connection `erp`, a pull mapping of partners to accounts. */
export interface SyncApiBed {
  engine: TestEngine;
  system: MemorySystem;
  /** A signed-in user who is not an administrator. */
  clerkToken: string;
  /** Starts a run of `erp` through the API and waits for its end; returns the run as the end event says. */
  runToEnd(): Promise<{ id: string; status: string; read: number; created: number; updated: number }>;
  close(): Promise<void>;
}

export async function openSyncApiBed(): Promise<SyncApiBed> {
  const secretKeyBefore = process.env.KEHU_SECRET_KEY;
  process.env.KEHU_SECRET_KEY = randomBytes(32).toString("base64");
  const engine = await startTestEngine();
  const system = new MemorySystem();
  system.addStream({
    name: "partners",
    primaryKey: ["CardCode"],
    schema: {
      type: "object",
      properties: { CardCode: {}, CardName: {}, GroupCode: {}, CreditLimit: {}, Currency: {}, Phone1: {} },
    },
  });
  engine.ctx.connectors = new Map([["memory", memoryConnector(system)]]);
  await defineEntities(engine.ctx, [bpEntity]);
  const clerkToken = (await createTestUser(engine.ctx, { login: "clerk" })).token;
  const connection = { name: "erp", connector: "memory", config: { baseUrl: "http://erp.test", password: "s3cret" } };
  const saved = await engine.http("/api/sync/connections", { method: "POST", body: connection });
  if (saved.status !== 201) throw new Error(`the test connection was refused: ${JSON.stringify(saved.body)}`);
  // No default currency: a partner with a credit limit and no currency fails (a dead letter with the reason).
  const credit = { money: { amount: "CreditLimit", currency: "Currency" } };
  const mapping = { ...accountMapping, direction: "pull", fields: { ...accountMapping.fields, credit } };
  const mapped = await engine.http("/api/sync/mappings", { method: "POST", body: mapping });
  if (mapped.status !== 201) throw new Error(`the test mapping was refused: ${JSON.stringify(mapped.body)}`);
  return {
    engine,
    system,
    clerkToken,
    async runToEnd() {
      const started = await engine.http("/api/sync/runs", { method: "POST", body: { connection: "erp" } });
      if (started.status !== 202) throw new Error(`the run did not start: ${JSON.stringify(started.body)}`);
      const events = await engine.http(`/api/sync/runs/${started.body.id}/events`);
      return JSON.parse(/event: end\ndata: (.*)\n/.exec(events.body as string)![1]);
    },
    async close() {
      await engine.close();
      if (secretKeyBefore === undefined) delete process.env.KEHU_SECRET_KEY;
      else process.env.KEHU_SECRET_KEY = secretKeyBefore;
    },
  };
}
