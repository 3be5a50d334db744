import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SapRecord } from "../../connectors/sap-b1/simulator/index";
import { RecordStore } from "../../engine/src/records/record-store";
import { runSync } from "../../engine/src/sync/run-sync";
import { openSapBed, type SapBed, slGet } from "./sap-b1-bed";

let bed: SapBed;
beforeAll(async () => {
  bed = await openSapBed({ sim: { sizes: { partners: 40, items: 60, orders: 20, invoices: 12, payments: 6 } } });
}, 60_000);
afterAll(() => bed?.close());

const knex = () => bed.services.knex;
const rows = (entity: string) => knex()(`data.${entity}`).whereNull("deleted_at").select();
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const store = (entity: string) => new RecordStore(knex(), bed.services.registry.require(entity));
const sap = (set: Parameters<typeof bed.sim.store.list>[0]) => bed.sim.store.list(set);

/** code → id of a CRM entity keyed by `code`. */
async function idsByCode(entity: string): Promise<Map<string, string>> {
  return new Map((await rows(entity)).map((r) => [r.code, r.id]));
}

describe("a full sync of every SAP B1 stream over real sockets", () => {
  it("leaves in Kehu exactly what the Service Layer holds", async () => {
    const run = await runSync(bed.services, { connection: "sap" });
    expect(run).toMatchObject({ status: "succeeded", failed: 0, conflicts: 0 });

    const partners = sap("BusinessPartners");
    const kind = { cCustomer: "customer", cSupplier: "supplier", cLid: "lead" } as Record<string, string>;
    expect(
      (await rows("bp"))
        .map((r) => [r.code, r.name, r.kind, r.group_code, r.phone, r.email, num(r.credit_limit)])
        .sort(),
    ).toEqual(
      partners
        .map((p) => [
          p.CardCode,
          p.CardName,
          kind[p.CardType as string],
          p.GroupCode ?? null,
          p.Phone1 ?? null,
          p.EmailAddress ?? null,
          num(p.CreditLimit),
        ])
        .sort(),
    );
    const bpIds = await idsByCode("bp");
    expect(
      (await rows("bp_balance")).map((r) => [r.code, r.partner, num(r.balance), num(r.open_orders)]).sort(),
    ).toEqual(
      partners
        .map((p) => [
          p.CardCode,
          bpIds.get(p.CardCode as string),
          num(p.CurrentAccountBalance),
          num(p.OpenOrdersBalance),
        ])
        .sort(),
    );

    const items = sap("Items");
    expect((await rows("item")).map((r) => [r.code, r.name, r.group_code, r.uom, num(r.on_hand)]).sort()).toEqual(
      items.map((i) => [i.ItemCode, i.ItemName, i.ItemsGroupCode, i.InventoryUOM, num(i.QuantityOnStock)]).sort(),
    );
    const itemIds = await idsByCode("item");
    const itemCodes = new Map([...itemIds].map(([code, id]) => [id, code]));
    // Stock per warehouse, compared with a bare HTTP read of the Service Layer.
    const wire = (await slGet(bed.sim, "Items?$select=ItemCode,ItemWarehouseInfoCollection")).value as SapRecord[];
    const expectedStock = wire.flatMap((i) =>
      (i.ItemWarehouseInfoCollection as SapRecord[]).map((w) => [
        i.ItemCode,
        w.WarehouseCode,
        num(w.InStock),
        num(w.Committed),
        num(w.Ordered),
        Number(w.InStock) - Number(w.Committed) + Number(w.Ordered),
      ]),
    );
    expect(expectedStock.length).toBe(items.length * sap("Warehouses").length);
    expect(expectedStock.some((s) => Number(s[3]) > 0)).toBe(true);
    expect(
      (await rows("stock"))
        .map((r) => [
          itemCodes.get(r.item),
          r.warehouse,
          num(r.in_stock),
          num(r.committed),
          num(r.ordered),
          num(r.available),
        ])
        .sort(),
    ).toEqual(expectedStock.sort());

    const docs = (set: "Orders" | "Invoices") =>
      sap(set).map((d) => ({ entry: d.DocEntry, num: d.DocNum, card: d.CardCode, total: num(d.DocTotal), d }));
    const orders = await rows("order");
    expect(orders.map((o) => [o.doc_entry, o.doc_num, o.customer, o.reference, o.status, num(o.total)]).sort()).toEqual(
      docs("Orders")
        .map(({ entry, num: n, card, total, d }) => [
          entry,
          n,
          bpIds.get(card as string),
          d.NumAtCard,
          d.DocumentStatus,
          total,
        ])
        .sort(),
    );
    const anOrder = orders.find((o) => o.doc_entry === sap("Orders")[0].DocEntry)!;
    expect(anOrder.lines.map((l: SapRecord) => [l.ItemCode, l.Quantity])).toEqual(
      (sap("Orders")[0].DocumentLines as SapRecord[]).map((l) => [l.ItemCode, l.Quantity]),
    );
    expect(
      (await rows("invoice"))
        .map((o) => [o.doc_entry, o.doc_num, o.customer, num(o.total), num(o.paid), o.status])
        .sort(),
    ).toEqual(
      docs("Invoices")
        .map(({ entry, num: n, card, total, d }) => [
          entry,
          n,
          bpIds.get(card as string),
          total,
          num(d.PaidToDate),
          d.DocumentStatus,
        ])
        .sort(),
    );
    const payments = sap("IncomingPayments");
    expect(payments.length).toBeGreaterThan(0);
    expect(
      (await rows("payment"))
        .map((p) => [
          p.doc_entry,
          p.customer,
          num(p.transfer_sum),
          p.reference,
          p.cancelled,
          p.applied.map((a: SapRecord) => a.DocEntry),
        ])
        .sort(),
    ).toEqual(
      payments
        .map((p) => [
          p.DocEntry,
          bpIds.get(p.CardCode as string),
          num(p.TransferSum),
          p.TransferReference ?? null,
          p.Cancelled === "tYES",
          (p.PaymentInvoices as SapRecord[]).map((a) => a.DocEntry),
        ])
        .sort(),
    );
  }, 60_000);

  it("a second run reads only what changed in SAP (snapshots of stock and balances aside)", async () => {
    const before = await runSync(bed.services, { connection: "sap" });
    // Stock and balances are snapshots (postings move them without UpdateDate): read whole, found unchanged.
    const snapshot = sap("Items").length * sap("Warehouses").length + sap("BusinessPartners").length;
    expect(before).toMatchObject({ status: "succeeded", created: 0, updated: 0, failed: 0 });
    // The overlap window re-reads rows of the last minutes; they are found unchanged.
    expect(before.read - snapshot).toBeLessThan(20);

    bed.sim.store.update("Items", "A000007", (item) => {
      item.ItemName = "Renamed in SAP";
      bed.sim.store.touch(item);
    });
    bed.sim.store.update("BusinessPartners", "C00003", (bp) => {
      bp.Phone1 = "010-999";
      bed.sim.store.touch(bp);
    });
    const after = await runSync(bed.services, { connection: "sap", streams: ["items", "business_partners"] });
    expect(after).toMatchObject({ status: "succeeded", updated: 2, created: 0, failed: 0 });
    expect(after.read).toBeLessThan(10);
    expect((await knex()("data.item").where({ code: "A000007" }).first()).name).toBe("Renamed in SAP");
    expect((await knex()("data.bp").where({ code: "C00003" }).first()).phone).toBe("010-999");
  }, 60_000);

  it("pushes a new CRM customer once and brings back the code SAP gave it", async () => {
    const created = await store("bp").create(
      { name: "杭州新客户建材", kind: "customer", email: "new@hz.example.cn" },
      "t",
    );
    const run = await runSync(bed.services, { connection: "sap", streams: ["business_partners"] });
    expect(run).toMatchObject({ status: "succeeded", created: 1, failed: 0 });
    const inSap = sap("BusinessPartners").filter((p) => p.CardName === "杭州新客户建材");
    expect(inSap).toHaveLength(1);
    expect(inSap[0]).toMatchObject({ CardType: "cCustomer", EmailAddress: "new@hz.example.cn" });
    // The next pull fills in the CardCode; nothing goes to SAP twice.
    const back = await runSync(bed.services, { connection: "sap", streams: ["business_partners"] });
    expect(back).toMatchObject({ failed: 0, created: 0 });
    expect((await knex()("data.bp").where({ id: created.id }).first()).code).toBe(inSap[0].CardCode);
    expect(sap("BusinessPartners").filter((p) => p.CardName === "杭州新客户建材")).toHaveLength(1);
  }, 60_000);

  it("recognises a new customer whose push died before linking it, instead of importing it a second time", async () => {
    const created = await store("bp").create({ name: "宁波未链接客户", kind: "customer" }, "t");
    const pushed = await runSync(bed.services, { connection: "sap", streams: ["business_partners"] });
    expect(pushed).toMatchObject({ status: "succeeded", created: 1, failed: 0 });
    const inSap = () => sap("BusinessPartners").filter((p) => p.CardName === "宁波未链接客户");
    expect(inSap()).toHaveLength(1);
    // Kehu crashed after SAP created the partner (its CardCode derived from the push's key) but before linking it.
    await knex()("kehu.sync_links").where({ record_id: created.id }).delete();
    const next = await runSync(bed.services, { connection: "sap", streams: ["business_partners"] });
    expect(next).toMatchObject({ status: "succeeded", created: 0, failed: 0 });
    const named = await knex()("data.bp").where({ name: "宁波未链接客户" }).select("id", "code");
    expect(named).toEqual([{ id: created.id, code: inSap()[0].CardCode }]);
    expect(inSap()).toHaveLength(1);
    const link = await knex()("kehu.sync_links").where({
      stream: "business_partners",
      external_key: inSap()[0].CardCode,
    });
    expect(link.map((l) => l.record_id)).toEqual([created.id]);
  }, 60_000);

  it("pushes a CRM order once, even when the push is retried after SAP created it, and pulls its status back", async () => {
    const customer = await knex()("data.bp").where({ code: "C00001" }).first();
    const order = await store("order").create(
      {
        customer: customer.id,
        comments: "CRM order 1",
        lines: [
          { ItemCode: "A000002", Quantity: 3, WarehouseCode: "01" },
          { ItemCode: "A000005", Quantity: 1, WarehouseCode: "01" },
        ],
      },
      "t",
    );
    const committedBefore = sap("Items").find((i) => i.ItemCode === "A000002")!.QuantityOrderedByCustomers;
    const run = await runSync(bed.services, { connection: "sap", streams: ["sales_orders"] });
    expect(run).toMatchObject({ status: "succeeded", created: 1, failed: 0 });
    const link = await knex()("kehu.sync_links").where({ record_id: order.id }).first();
    const key = `kehu:order:${order.id}:1`;
    const ours = () => sap("Orders").filter((o) => o.NumAtCard === key);
    expect(ours()).toHaveLength(1);
    expect(String(ours()[0].DocEntry)).toBe(link.external_key);
    expect(sap("Items").find((i) => i.ItemCode === "A000002")!.QuantityOrderedByCustomers).toBe(
      Number(committedBefore) + 3,
    );

    // Kehu crashed after SAP created the order but before it recorded the link: the retry sends the same key.
    await knex()("kehu.sync_links").where({ record_id: order.id }).delete();
    const retried = await runSync(bed.services, { connection: "sap", streams: ["sales_orders"] });
    expect(retried).toMatchObject({ status: "succeeded", failed: 0 });
    expect(ours()).toHaveLength(1);
    expect((await knex()("kehu.sync_links").where({ record_id: order.id }).first()).external_key).toBe(
      link.external_key,
    );

    // SAP closes the order; the next pull brings status, number and total to the CRM record.
    const docEntry = Number(link.external_key);
    bed.sim.store.update("Orders", docEntry, (o) => {
      o.DocumentStatus = "bost_Close";
      bed.sim.store.touch(o);
    });
    const pulled = await runSync(bed.services, { connection: "sap", streams: ["sales_orders"] });
    expect(pulled).toMatchObject({ status: "succeeded", failed: 0, created: 0 });
    const sapOrder = bed.sim.store.get("Orders", docEntry)!;
    expect(await knex()("data.order").where({ id: order.id }).first()).toMatchObject({
      doc_entry: docEntry,
      doc_num: sapOrder.DocNum,
      status: "bost_Close",
      reference: key,
    });
    expect(await knex()("data.order").where({ doc_entry: docEntry }).count({ n: "*" })).toEqual([{ n: 1 }]);
    expect(ours()).toHaveLength(1);
  }, 60_000);
});
