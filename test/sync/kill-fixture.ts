import type { ReadMessage, StreamState } from "@kehu/connector-kit";
import { MemorySystem, memoryConnector } from "../../engine/src/sync/testing/memory-connector";
import type { SyncMapping } from "../../packages/schema/src/index";

export const RECORDS = 120;

/** The same ERP in every process: 120 partners with deterministic times, read 10 a page, each page 40 ms slow. */
class SlowSystem extends MemorySystem {
  override async *read(name: string, state: StreamState | undefined): AsyncIterable<ReadMessage> {
    for await (const m of super.read(name, state)) {
      if (m.type === "state") await new Promise((r) => setTimeout(r, 40));
      yield m;
    }
  }
}

export function killFixture() {
  const system = new SlowSystem();
  system.pageSize = 10;
  system.addStream({ name: "partners", primaryKey: ["CardCode"], schema: { type: "object" } });
  for (let i = 1; i <= RECORDS; i++)
    system.upsert("partners", { CardCode: `K${String(i).padStart(4, "0")}`, CardName: `Partner ${i}` });
  return { system, connectors: new Map([["memory", memoryConnector(system)]]) };
}

export const killMapping: SyncMapping = {
  name: "kill_accounts",
  connection: "erp",
  stream: "partners",
  entity: "account",
  direction: "pull",
  key: { external: ["CardCode"], entity: "code" },
  fields: { code: "CardCode", name: "CardName" },
};
