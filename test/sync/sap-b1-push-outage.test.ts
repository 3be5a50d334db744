import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SapRecord } from "../../connectors/sap-b1/simulator/index";
import { saveConnection } from "../../engine/src/sync/connection-store";
import { runSync } from "../../engine/src/sync/run-sync";
import { openSapBed, type SapBed, sapMappings, simConnection, takeDown } from "./sap-b1-bed";

// Push-only: CRM orders go to SAP as sales orders, nothing is pulled.
const orderPush = sapMappings.filter((m) => m.name === "sap_orders_push");

let bed: SapBed;
let customers: string[];
let stocked: string[];
beforeAll(async () => {
  bed = await openSapBed({
    sim: { sizes: { partners: 6, items: 20, orders: 0, invoices: 0, payments: 0 } },
    mappings: orderPush,
  });
  // The engine's waits between write attempts are skipped; the connector's own (a few hundred ms) are real.
  bed.services = { ...bed.services, sleep: async () => {} };
  await saveConnection(bed.services, simConnection(bed.sim, { apiVersion: "v2", retryAttempts: 3 }));
  const partners = bed.sim.store.list("BusinessPartners").filter((p) => p.CardType === "cCustomer");
  const rows = await knex()("data.bp")
    .insert(partners.map((p) => ({ code: p.CardCode, name: p.CardName, kind: "customer" })))
    .returning("id");
  customers = rows.map((r) => r.id);
  stocked = bed.sim.store
    .list("Items")
    .filter((i) =>
      (i.ItemWarehouseInfoCollection as SapRecord[]).some((w) => w.WarehouseCode === "01" && Number(w.InStock) >= 20),
    )
    .map((i) => i.ItemCode as string);
}, 60_000);
afterAll(() => bed?.close());

const knex = () => bed.services.knex;
const openLetters = async (ids: string[]) =>
  Number((await knex()("kehu.sync_dead_letters").where({ status: "open" }).whereIn("record_id", ids).count())[0].count);

/** CRM orders with these comments, one line each (a stocked item unless the line names another). */
async function createOrders(comments: string[], itemCode?: (n: number) => string | undefined): Promise<string[]> {
  const rows = comments.map((comment, n) => ({
    customer: customers[n % customers.length],
    comments: comment,
    lines: JSON.stringify([
      { ItemCode: itemCode?.(n) ?? stocked[n % stocked.length], Quantity: 1, WarehouseCode: "01" },
    ]),
  }));
  return (await knex()("data.order").insert(rows).returning("id")).map((r) => r.id);
}

/** How many sales orders SAP holds for each CRM order (by the idempotency key in NumAtCard). */
function sapCopies(ids: string[]): number[] {
  const orders = bed.sim.store.list("Orders");
  return ids.map((id) => orders.filter((o) => o.NumAtCard === `kehu:order:${id}:1`).length);
}

const linked = async (ids: string[]) =>
  Number(
    (await knex()("kehu.sync_links").where({ stream: "sales_orders" }).whereIn("record_id", ids).count())[0].count,
  );

const port = () => new URL(bed.sim.origin).port;

describe("a push-only run while SAP Business One is down", () => {
  it("fails naming the cause, dead-letters nothing, and the next run pushes every order once", async () => {
    const ids = await createOrders(["outage 1", "outage 2", "outage 3"]);
    const bringBack = await takeDown(bed.sim);
    let down: Awaited<ReturnType<typeof runSync>>;
    try {
      down = await runSync(bed.services, { connection: "sap", trigger: "api" });
    } finally {
      await bringBack();
    }
    expect(down).toMatchObject({ status: "failed", created: 0, failed: 0 });
    expect(down.error).toMatch(
      new RegExp(
        `^Cannot reach the Service Layer at 127\\.0\\.0\\.1:${port()} \\(POST /b1s/v2/Login\\): connection refused .*\\(push of sales_orders stopped: 3 records wait for the next run, no dead letters\\)$`,
      ),
    );
    expect(await openLetters(ids)).toBe(0);
    expect(sapCopies(ids)).toEqual([0, 0, 0]);

    const back = await runSync(bed.services, { connection: "sap", trigger: "schedule" });
    expect(back).toMatchObject({ status: "succeeded", created: 3, failed: 0 });
    expect(sapCopies(ids)).toEqual([1, 1, 1]);
    expect(await linked(ids)).toBe(3);
    expect(await runSync(bed.services, { connection: "sap" })).toMatchObject({ status: "succeeded", read: 0 });
  });

  it("still dead-letters an order SAP refuses on its own (an unknown item) and creates the others", async () => {
    const ids = await createOrders(["mixed 1", "mixed 2", "mixed 3"], (n) => (n === 1 ? "NO-SUCH-ITEM" : undefined));
    const run = await runSync(bed.services, { connection: "sap" });
    expect(run).toMatchObject({ status: "succeeded", created: 2, failed: 1 });
    const letters = await knex()("kehu.sync_dead_letters").where({ run_id: run.id });
    expect(letters).toMatchObject([
      {
        status: "open",
        record_id: ids[1],
        reason: "SAP B1 error -2028 (HTTP 400): No matching records found (ODBC -2028)",
      },
    ]);
    expect(sapCopies(ids)).toEqual([1, 0, 1]);
    // The refused order waits for someone to fix it; the next run does not push it again.
    expect(await runSync(bed.services, { connection: "sap" })).toMatchObject({ status: "succeeded", read: 0 });
  });

  it("a run cut off after SAP took the orders but before it answered creates no second document", async () => {
    const ids = await createOrders(["lost 1", "lost 2", "lost 3"]);
    let wentDown: Promise<() => Promise<void>> | undefined;
    // SAP processes the $batch of creates, then the connection drops before the reply and SAP goes down.
    const cutOff = (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== "POST" || !req.url?.endsWith("/$batch")) return;
      bed.sim.server.off("request", cutOff);
      const lose = () => {
        wentDown ??= takeDown(bed.sim);
        return res;
      };
      res.writeHead = lose as unknown as ServerResponse["writeHead"];
      res.write = (() => true) as unknown as ServerResponse["write"];
      res.end = lose as unknown as ServerResponse["end"];
    };
    bed.sim.server.prependListener("request", cutOff);
    const cut = await runSync(bed.services, { connection: "sap", trigger: "api" });
    expect(wentDown).toBeDefined();
    await (await wentDown!)();
    expect(cut).toMatchObject({ status: "failed", created: 0, failed: 0 });
    expect(cut.error).toMatch(/^Cannot reach the Service Layer at .*\(push of sales_orders stopped: 3 records wait/);
    expect(await openLetters(ids)).toBe(0);
    // SAP did create them, Kehu did not hear of it.
    expect(sapCopies(ids)).toEqual([1, 1, 1]);
    expect(await linked(ids)).toBe(0);

    // The next run finds them by their key in NumAtCard and links them: nothing is created again.
    const back = await runSync(bed.services, { connection: "sap" });
    expect(back).toMatchObject({ status: "succeeded", created: 0, updated: 3, failed: 0 });
    expect(sapCopies(ids)).toEqual([1, 1, 1]);
    expect(await linked(ids)).toBe(3);
  });

  it("dead-letters the order SAP refused even when SAP goes down before the others are written", async () => {
    // Inserted one by one, the refused order comes first: SL stops at it, the others wait for the next round.
    const [bad] = await createOrders(["down after refusal 1"], () => "NO-SUCH-ITEM");
    const good = await createOrders(["down after refusal 2", "down after refusal 3"]);
    let wentDown: Promise<() => Promise<void>> | undefined;
    const afterFirstBatch = (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== "POST" || !req.url?.endsWith("/$batch")) return;
      bed.sim.server.off("request", afterFirstBatch);
      res.on("finish", () => {
        wentDown ??= takeDown(bed.sim);
      });
    };
    bed.sim.server.prependListener("request", afterFirstBatch);
    const run = await runSync(bed.services, { connection: "sap", trigger: "api" });
    expect(wentDown).toBeDefined();
    await (await wentDown!)();
    expect(run).toMatchObject({ status: "failed", created: 0, failed: 1 });
    expect(run.error).toMatch(/\(push of sales_orders stopped: 2 records wait for the next run, no dead letters\)$/);
    expect(await knex()("kehu.sync_dead_letters").where({ run_id: run.id })).toMatchObject([
      { status: "open", record_id: bad, reason: expect.stringMatching(/^SAP B1 error -2028 \(HTTP 400\)/) },
    ]);
    expect(sapCopies([bad, ...good])).toEqual([0, 0, 0]);

    const back = await runSync(bed.services, { connection: "sap" });
    expect(back).toMatchObject({ status: "succeeded", created: 2, failed: 0 });
    expect(sapCopies([bad, ...good])).toEqual([0, 1, 1]);
    expect(await openLetters([bad])).toBe(1);
  });
});
