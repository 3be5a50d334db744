import type { ConnectorSession, ExternalRecord, StreamState } from "@kehu/connector-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SapB1Simulator } from "../simulator";
import { sapB1Connector } from "./sap-b1-connector";
import { startSimConnection } from "./testing/sim-connection";

async function read(session: ConnectorSession, state?: StreamState) {
  const records: ExternalRecord[] = [];
  const states: StreamState[] = [];
  for await (const message of session.read("item_stock", state)) {
    if (message.type === "record") records.push(message.record);
    if (message.type === "state") states.push(message.state);
  }
  return { records, state: states[states.length - 1], states };
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
type Warehouse = { WarehouseCode: string; InStock: number };

describe("item_stock between snapshots", () => {
  let sim: SapB1Simulator;
  let hourly: ConnectorSession;
  let always: ConnectorSession;
  beforeAll(async () => {
    const started = await startSimConnection("v2", { sizes: { partners: 5, items: 60 } });
    sim = started.sim;
    hourly = sapB1Connector.open(started.config);
    always = sapB1Connector.open({ ...started.config, stockSnapshotHours: 0 });
  });
  afterAll(async () => {
    await hourly.close();
    await always.close();
    await sim.close();
  });

  /** Sets the item's stock in its first warehouse; `touch` stamps the item as changed, as some stock moves do. */
  const restock = (code: string, inStock: number, touch: boolean) =>
    sim.store.update("Items", code, (item) => {
      (item.ItemWarehouseInfoCollection as Warehouse[])[0].InStock = inStock;
      if (touch) sim.store.touch(item);
    });
  const firstRow = (records: ExternalRecord[], code: string) =>
    records.find(
      (r) => r.ItemCode === code && r.WarehouseCode === records.find((x) => x.ItemCode === code)?.WarehouseCode,
    );

  it("reads only the stock of items whose UpdateDate moved until the next snapshot is due, which brings every move", async () => {
    const snapshot = await read(hourly);
    const items = sim.store.list("Items");
    const warehouses = (items[0].ItemWarehouseInfoCollection as Warehouse[]).length;
    expect(snapshot.records).toHaveLength(items.length * warehouses);
    expect(snapshot.state).toMatchObject({ cursor: expect.any(String), snapshotAt: expect.any(String) });

    const [quiet, touched] = [items[3].ItemCode as string, items[40].ItemCode as string];
    restock(quiet, 4321, false);
    restock(touched, 1234, true);
    const between = await read(hourly, snapshot.state);
    expect(between.records.length).toBeLessThan(snapshot.records.length / 2);
    expect(firstRow(between.records, touched)).toMatchObject({ InStock: 1234 });
    expect(between.records.some((r) => r.ItemCode === quiet)).toBe(false);
    expect(between.state).toMatchObject({ snapshotAt: snapshot.state.snapshotAt });

    const due = await read(hourly, { ...between.state, snapshotAt: hoursAgo(1.1) });
    expect(due.records).toHaveLength(snapshot.records.length);
    expect(firstRow(due.records, quiet)).toMatchObject({ InStock: 4321 });
    expect(Date.parse(String(due.state.snapshotAt))).toBeGreaterThan(Date.now() - 60_000);
  });

  it("with stockSnapshotHours 0 every read is a whole snapshot", async () => {
    const first = await read(always);
    const quiet = sim.store.list("Items")[7].ItemCode as string;
    restock(quiet, 777, false);
    const second = await read(always, first.state);
    expect(second.records).toHaveLength(first.records.length);
    expect(firstRow(second.records, quiet)).toMatchObject({ InStock: 777 });
  });

  it("a snapshot cut off mid-way resumes after its last item, keeping its start and newest stamp", async () => {
    const whole = await read(hourly);
    const cut = whole.states[0];
    expect(cut).toMatchObject({ after: expect.any(String), startedAt: expect.any(String) });
    const rest = await read(hourly, cut);
    expect(rest.records).toEqual(whole.records.filter((r) => String(r.ItemCode) > String(cut.after)));
    expect(rest.state).toEqual({ cursor: whole.state.cursor, snapshotAt: cut.startedAt });
  });

  it("an item changed behind the walk, while a later item changed after it, comes with the next change read", async () => {
    const items = sim.store.list("Items");
    const [passed, ahead] = [items[1].ItemCode as string, items[items.length - 1].ItemCode as string];
    const stampIn = (minutes: number) => {
      const at = new Date(Date.now() + minutes * 60_000).toISOString();
      return { UpdateDate: at.slice(0, 10), UpdateTime: at.slice(11, 19) };
    };
    const states: StreamState[] = [];
    for await (const message of hourly.read("item_stock", undefined)) {
      if (message.type !== "state") continue;
      states.push(message.state);
      // The walk is past the first page: the first item changes behind it, then an item it has yet to read, later.
      if (states.length === 1) {
        sim.store.update("Items", passed, (item) => {
          (item.ItemWarehouseInfoCollection as Warehouse[])[0].InStock = 4242;
          Object.assign(item, stampIn(10));
        });
        sim.store.update("Items", ahead, (item) => void Object.assign(item, stampIn(30)));
      }
    }
    expect(states.length).toBeGreaterThan(1);
    const next = await read(hourly, states[states.length - 1]);
    expect(firstRow(next.records, passed)).toMatchObject({ InStock: 4242 });
  });
});
