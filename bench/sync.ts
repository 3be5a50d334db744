// bench/sync: the sync runner pulling items with stock from the SAP B1 simulator into Kehu, against a bare HTTP
// client paging the same data from the same simulator; the incremental run after 1% of items change; order push
// with and without $batch. One run, one machine.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm bench:sync [--quick]   (PGlite without DATABASE_URL)
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { EntityDefinition, SyncMapping } from "@kehu/schema";
import knexFactory, { type Knex } from "knex";
import { defaultCredentials } from "../connectors/sap-b1/simulator/index";
import { createEngine, type Engine } from "../engine/src/create-engine";
import { createLogger } from "../engine/src/logger";
import { applyEntities } from "../engine/src/metadata/apply-entities";
import { pgArrayLiteral, pgText } from "../engine/src/records/pg-text";
import { openDatabase } from "../engine/src/storage/database";
import { saveConnection } from "../engine/src/sync/connection-store";
import { saveMapping } from "../engine/src/sync/mapping-store";
import { runSync } from "../engine/src/sync/run-sync";
import { SecretBox } from "../engine/src/sync/secret-box";
import { type SyncServices, syncServicesOf } from "../engine/src/sync/sync-services";
import { closeHttpAgent, fmt, httpJson } from "./bench-kit";
import { ownCpuMs, processCpuMs, startDatabaseCpu } from "./cpu-time";
import { type SimulatorProcess, startSimulatorProcess } from "./sap-sim-process";

const quick = process.argv.includes("--quick");
const ITEMS = quick ? 10_000 : 100_000;
const ORDERS = quick ? 200 : 1_000;
const PAGE = 500;
const base = process.env.DATABASE_URL;

// --- database: a fresh PostgreSQL database, or PGlite in a temp dir ---
const dbName = `kehu_bench_sync_${process.pid}`;
const admin = base ? knexFactory({ client: "pg", connection: base, pool: { min: 0, max: 1 } }) : undefined;
let dataDir: string | undefined;
let dbUrl: string | undefined;
if (admin && base) {
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  dbUrl = url.toString();
} else dataDir = mkdtempSync(join(tmpdir(), "kehu-bench-sync-"));

const itemFields = [
  "ItemCode",
  "ItemName",
  "ForeignName",
  "ItemsGroupCode",
  "InventoryItem",
  "SalesItem",
  "PurchaseItem",
  "InventoryUOM",
  "BarCode",
  "Valid",
  "Frozen",
  "QuantityOnStock",
  "QuantityOrderedByCustomers",
  "QuantityOrderedFromVendors",
  "UpdateDate",
  "UpdateTime",
  "ItemPrices",
  "ItemWarehouseInfoCollection",
];

const entities: EntityDefinition[] = [
  {
    name: "item",
    ownership: "none",
    fields: [
      { name: "code", type: "text", unique: true, required: true },
      { name: "name", type: "text" },
      { name: "group_code", type: "integer" },
      { name: "uom", type: "text" },
      { name: "on_hand", type: "decimal", precision: 18, scale: 3 },
      { name: "prices", type: "json" },
    ],
  },
  {
    name: "stock",
    ownership: "none",
    fields: [
      { name: "item", type: "reference", target: "item" },
      { name: "warehouse", type: "text" },
      { name: "in_stock", type: "decimal", precision: 18, scale: 3 },
      { name: "committed", type: "decimal", precision: 18, scale: 3 },
      { name: "ordered", type: "decimal", precision: 18, scale: 3 },
      { name: "available", type: "decimal", precision: 18, scale: 3 },
    ],
  },
  {
    name: "bp",
    ownership: "none",
    fields: [{ name: "code", type: "text", unique: true, required: true }],
  },
  {
    name: "order",
    ownership: "none",
    fields: [
      { name: "customer", type: "reference", target: "bp" },
      { name: "lines", type: "json" },
    ],
  },
];

const mappings = (connection: string): SyncMapping[] => [
  {
    name: `${connection}_items`,
    connection,
    stream: "items",
    entity: "item",
    direction: "pull",
    key: { external: ["ItemCode"], entity: "code" },
    fields: {
      code: "ItemCode",
      name: "ItemName",
      group_code: "ItemsGroupCode",
      uom: "InventoryUOM",
      on_hand: "QuantityOnStock",
      prices: "ItemPrices",
    },
  },
  {
    name: `${connection}_stock`,
    connection,
    stream: "item_stock",
    entity: "stock",
    direction: "pull",
    key: { external: ["ItemCode", "WarehouseCode"] },
    fields: {
      item: { lookup: { entity: "item", by: "code", from: "ItemCode" } },
      warehouse: "WarehouseCode",
      in_stock: "InStock",
      committed: "Committed",
      ordered: "Ordered",
      available: "Available",
    },
  },
];

const pushMapping = (connection: string): SyncMapping => ({
  name: `${connection}_orders`,
  connection,
  stream: "sales_orders",
  entity: "order",
  direction: "push",
  key: { external: ["DocEntry"] },
  fields: { customer: { lookup: { entity: "bp", by: "code", from: "CardCode" } }, lines: "DocumentLines" },
});

const results: Array<[string, string, string]> = [];
let sim: SimulatorProcess | undefined;
let engine: Engine | undefined;
try {
  console.log(`seeding the simulator with ${ITEMS.toLocaleString("en-US")} items …`);
  // In a process of its own, as a real SAP B1 is a separate server (the bare client and the runner both read it).
  sim = await startSimulatorProcess({ partners: 20, items: ITEMS });
  const warehouses = await sim.count("Warehouses");
  const db = dbUrl
    ? await openDatabase({ backend: "postgres", url: dbUrl })
    : await openDatabase({ backend: "pglite", dataDir: join(dataDir!, "data") });
  engine = await createEngine(db, createLogger("silent"));
  await applyEntities(engine.ctx, entities, { actor: "bench", confirm: true });
  const services: SyncServices = syncServicesOf(engine.ctx, { secrets: new SecretBox(randomBytes(32)) });
  const connect = async (name: string, extra: Record<string, unknown> = {}) => {
    await saveConnection(services, {
      name,
      connector: "sap-b1",
      config: {
        baseUrl: sim!.origin,
        companyDb: defaultCredentials.companyDB,
        userName: defaultCredentials.userName,
        password: defaultCredentials.password,
        pageSize: PAGE,
        ...extra,
      },
    });
  };
  await connect("sap");
  for (const m of mappings("sap")) await saveMapping(services.knex, services.registry, m);

  // 1. Bare HTTP client: login, then page Items with every field both streams read, following nextLink.
  const bare = async () => {
    const root = `${sim!.origin}/b1s/v2`;
    const login = await httpJson("POST", `${root}/Login`, {
      CompanyDB: defaultCredentials.companyDB,
      UserName: defaultCredentials.userName,
      Password: defaultCredentials.password,
    });
    const cookie = (login.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
    const start = performance.now();
    let next: string | undefined = `${root}/Items?$select=${itemFields.join(",")}&$orderby=ItemCode`;
    let items = 0;
    let stock = 0;
    while (next) {
      const page = await httpJson("GET", next, undefined, { Cookie: cookie, Prefer: `odata.maxpagesize=${PAGE}` });
      for (const item of page.body.value) {
        items++;
        stock += item.ItemWarehouseInfoCollection.length;
      }
      const link = page.body["@odata.nextLink"];
      next = link ? new URL(link, `${root}/`).toString() : undefined;
    }
    return { ms: performance.now() - start, items, stock };
  };
  /** CPU time of each process while `work` runs, per 1,000 items (PostgreSQL only when it runs on this machine). */
  const cpuPerThousand = async <T>(work: () => Promise<T>) => {
    const pgSince = admin ? await startDatabaseCpu(admin, dbName) : async () => 0;
    const before = { own: ownCpuMs(), sim: processCpuMs(sim!.pid) };
    const result = await work();
    const after = { own: ownCpuMs(), sim: processCpuMs(sim!.pid) };
    const per = (ms: number) => (ms * 1000) / ITEMS;
    return { result, own: per(after.own - before.own), sim: per(after.sim - before.sim), pg: per(await pgSince()) };
  };
  await bare(); // warm the simulator's code paths
  const bareCpu = await cpuPerThousand(bare);
  const baseline = bareCpu.result;
  if (baseline.items !== ITEMS) throw new Error(`the bare client read ${baseline.items} items`);

  // 2. The runner: items and stock per warehouse into Kehu, from scratch.
  let t = performance.now();
  const fullCpu = await cpuPerThousand(() => runSync(services, { connection: "sap", full: true }));
  const fullRun = fullCpu.result;
  const fullMs = performance.now() - t;
  if (fullRun.status !== "succeeded" || fullRun.failed) throw new Error(`full run: ${JSON.stringify(fullRun)}`);
  const [{ n: stockRows }] = await services.knex("data.stock").count({ n: "*" });
  if (Number(stockRows) !== ITEMS * warehouses) throw new Error(`Kehu holds ${stockRows} stock rows`);
  const bareRate = baseline.items / (baseline.ms / 1000);
  const fullRate = ITEMS / (fullMs / 1000);
  results.push(
    [`bare HTTP paging of ${ITEMS} items with stock (page ${PAGE})`, `${fmt(bareRate, 0)} items/s`, ""],
    [
      `sync runner: full pull into Kehu (items + ${ITEMS * warehouses} stock rows)`,
      `${fmt(fullRate, 0)} items/s`,
      `ratio ${fmt(fullRate / bareRate)} (aim ≥ 0.8)`,
    ],
  );

  // 2a. Where the full pull's time goes: CPU of each process per 1,000 items, against the wall time the aim allows
  // (the bare client's time / 0.8) times the machine's cores.
  const cores = availableParallelism();
  const allowedMs = (baseline.ms / 0.8 / ITEMS) * 1000;
  const cpuText = (c: { own: number; sim: number; pg: number }, own: string) =>
    `${own} ${fmt(c.own, 0)} · simulator ${fmt(c.sim, 0)}${dbUrl ? ` · PostgreSQL ${fmt(c.pg, 0)}` : ""} CPU-ms`;
  results.push(
    ["CPU per 1,000 items, bare HTTP paging", cpuText(bareCpu, "client"), ""],
    [
      "CPU per 1,000 items, sync runner full pull",
      cpuText(fullCpu, "Kehu"),
      `the aim allows ${fmt(allowedMs, 0)} ms wall per 1,000 items = ${fmt(allowedMs * cores, 0)} CPU-ms on ${cores} cores`,
    ],
  );

  // 2b. The floor under the runner: the same rows INSERTed into bare tables (no links, ledger, audit or checks), page by
  // page in one transaction each, as the runner writes them; the data comes from the simulator's memory, not HTTP.
  const floorItems = await sim.list("Items");
  const floorCpu = await cpuPerThousand(() => bareInsert(services.knex, floorItems));
  const floorRate = ITEMS / (floorCpu.result / 1000);
  results.push(
    [
      `floor: bare INSERT of the same items + stock rows (pages of ${PAGE})`,
      `${fmt(floorRate, 0)} items/s`,
      `${fmt(floorRate / bareRate)} of bare HTTP; runner at ${fmt(fullRate / floorRate)} of it`,
    ],
    ["CPU per 1,000 items, floor", cpuText(floorCpu, "client"), ""],
  );

  // 3. Incremental run after 1% of items changed (names). Stock follows items whose UpdateDate moved; its whole
  // snapshot is due once an hour (stockSnapshotHours), measured apart below.
  const changed = Math.max(1, Math.floor(ITEMS / 100));
  const all = await sim.list("Items");
  await sim.update(
    "Items",
    Array.from({ length: changed }, (_, i) => {
      const item = all[Math.floor((i * all.length) / changed)];
      return { key: item.ItemCode as string, patch: { ItemName: `${item.ItemName} (rev)` } };
    }),
  );
  t = performance.now();
  const inc = await runSync(services, { connection: "sap", streams: ["items"] });
  const incItemsMs = performance.now() - t;
  if (inc.updated !== changed) throw new Error(`incremental items run updated ${inc.updated}, not ${changed}`);
  t = performance.now();
  const incAll = await runSync(services, { connection: "sap" });
  const incAllMs = performance.now() - t;
  if (incAll.failed || incAll.created) throw new Error(`incremental run: ${JSON.stringify(incAll)}`);
  results.push(
    [
      `incremental run, items stream, ${changed} of ${ITEMS} changed`,
      `${fmt(incItemsMs, 0)} ms`,
      `${fmt((incItemsMs / fullMs) * 100)}% of the full run (aim ≤ 5%)`,
    ],
    [
      "incremental run, items + stock of changed items",
      `${fmt(incAllMs, 0)} ms`,
      `${fmt((incAllMs / fullMs) * 100)}% of the full run (aim ≤ 5%)`,
    ],
  );
  t = performance.now();
  const snapshot = await runSync(services, { connection: "sap", streams: ["item_stock"], full: true });
  const snapshotMs = performance.now() - t;
  if (snapshot.failed || snapshot.unchanged !== ITEMS * warehouses)
    throw new Error(`stock snapshot: ${JSON.stringify(snapshot)}`);
  results.push([
    "stock snapshot re-read, nothing changed (hourly)",
    `${fmt(snapshotMs, 0)} ms`,
    `${fmt((snapshotMs / fullMs) * 100)}% of the full run`,
  ]);

  // 4. Order push: the same CRM orders through $batch and one request per order.
  const customers = (await sim.list("BusinessPartners"))
    .filter((p) => p.CardType === "cCustomer")
    .map((p) => p.CardCode as string);
  const bpIds = await services
    .knex("data.bp")
    .insert(customers.map((code) => ({ code })))
    .returning("id");
  const stocked = all
    .filter((i) => (i.ItemWarehouseInfoCollection as Array<{ WarehouseCode: string; InStock: number }>)[0].InStock > 50)
    .map((i) => i.ItemCode as string);
  for (const [name, batchWrites] of [
    ["batch", true],
    ["single", false],
  ] as const) {
    await services.knex("data.order").delete();
    await connect(name, { batchWrites });
    await saveMapping(services.knex, services.registry, pushMapping(name));
    const rows = Array.from({ length: ORDERS }, (_, n) => ({
      customer: bpIds[n % bpIds.length].id,
      lines: JSON.stringify([
        { ItemCode: stocked[n % stocked.length], Quantity: 1, WarehouseCode: "01" },
        { ItemCode: stocked[(n * 7) % stocked.length], Quantity: 2, WarehouseCode: "01" },
      ]),
    }));
    await services.knex("data.order").insert(rows);
    const before = await sim.count("Orders");
    t = performance.now();
    const push = await runSync(services, { connection: name });
    const ms = performance.now() - t;
    if (push.created !== ORDERS || (await sim.count("Orders")) - before !== ORDERS)
      throw new Error(`push (${name}): ${JSON.stringify(push)}`);
    results.push([
      `order push of ${ORDERS} orders, ${batchWrites ? "$batch (25 per request)" : "one request per order"}`,
      `${fmt(ORDERS / (ms / 1000), 0)} orders/s`,
      `${fmt(ms, 0)} ms`,
    ]);
  }
} finally {
  await engine?.close();
  await sim?.close();
  closeHttpAgent();
  if (admin) {
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.destroy();
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

/** Inserts the items and their stock rows into fresh bare tables, page by page; returns the time taken. */
async function bareInsert(knex: Knex, items: Array<Record<string, unknown>>): Promise<number> {
  await knex.raw(`CREATE TABLE bench_floor_item (id uuid PRIMARY KEY, code text UNIQUE, name text, group_code integer,
                    uom text, on_hand numeric(18,3), prices jsonb)`);
  await knex.raw(`CREATE TABLE bench_floor_stock (id uuid PRIMARY KEY, item uuid REFERENCES bench_floor_item,
                    warehouse text, in_stock numeric(18,3), committed numeric(18,3), ordered numeric(18,3),
                    available numeric(18,3))`);
  const array = (values: unknown[]) => pgArrayLiteral(values.map(pgText));
  const start = performance.now();
  for (let i = 0; i < items.length; i += PAGE) {
    const page: Array<Record<string, unknown>> = items
      .slice(i, i + PAGE)
      .map((item) => ({ ...item, id: randomUUID() }));
    const stock: Array<Record<string, unknown>> = page.flatMap((item) =>
      (item.ItemWarehouseInfoCollection as Array<Record<string, unknown>>).map((w) => ({ ...w, item: item.id })),
    );
    await knex.transaction(async (trx) => {
      await trx.raw(
        `INSERT INTO bench_floor_item SELECT u.i::uuid, u.c, u.n, u.g::integer, u.u, u.q::numeric, u.p::jsonb
           FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(i, c, n, g, u, q, p)`,
        [
          array(page.map((r) => r.id)),
          array(page.map((r) => r.ItemCode)),
          array(page.map((r) => r.ItemName)),
          array(page.map((r) => r.ItemsGroupCode)),
          array(page.map((r) => r.InventoryUOM)),
          array(page.map((r) => r.QuantityOnStock)),
          array(page.map((r) => JSON.stringify(r.ItemPrices))),
        ],
      );
      for (let j = 0; j < stock.length; j += PAGE) {
        const rows = stock.slice(j, j + PAGE);
        await trx.raw(
          `INSERT INTO bench_floor_stock SELECT gen_random_uuid(), u.i::uuid, u.w, u.s::numeric, u.c::numeric,
                  u.o::numeric, u.s::numeric - u.c::numeric + u.o::numeric
             FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(i, w, s, c, o)`,
          [
            array(rows.map((r) => r.item)),
            array(rows.map((r) => r.WarehouseCode)),
            array(rows.map((r) => r.InStock)),
            array(rows.map((r) => r.Committed)),
            array(rows.map((r) => r.Ordered)),
          ],
        );
      }
    });
  }
  return performance.now() - start;
}

console.log(`\nbench/sync on ${base ? "PostgreSQL" : "PGlite"}${quick ? " (--quick)" : ""}`);
const width = Math.max(...results.map((r) => r[0].length));
for (const [what, value, note] of results) console.log(`${what.padEnd(width)}  ${value.padStart(16)}  ${note}`);
