import type { ConnectorSession, ExternalRecord, StreamState, WriteRecord } from "@kehu/connector-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig, type SapB1Config } from "./sap-b1-config";
import { sapB1Connector } from "./sap-b1-connector";
import { ServiceLayerClient } from "./service-layer-client";
import {
  credentials,
  type SlVariant,
  startVariantServiceLayer,
  type VariantServiceLayer,
} from "./testing/variant-service-layer";
import type { Row } from "./testing/variant-sl-query";

/**
 * The connector, unchanged, against a Service Layer written independently from the public facts, in each
 * documented variant: what it reads must be exactly the server's data, and what it pushes must land once.
 */
const classic: SlVariant = {
  version: "v1",
  nextLink: "relative",
  paging: "prefer",
  timeFormat: "seconds",
  minuteGrain: false,
  dateFormat: "date",
  cookies: "separate",
  postReply: "entity",
  batchContentId: true,
  loginVersion: true,
};

const variants: [string, SlVariant][] = [
  ["v1: relative echoing nextLink, Prefer honoured, two Set-Cookie headers", classic],
  [
    "v1: rooted nextLink with only $skip, pages fixed at 20, minute-granular UpdateTime sent as HH:MM",
    { ...classic, nextLink: "skip-only", paging: "fixed", minuteGrain: true, timeFormat: "minutes" },
  ],
  [
    "v2: absolute nextLink on an internal node, B1S-PageSize only, dates as timestamps, ROUTEID first, no Version, no Content-ID",
    {
      ...classic,
      version: "v2",
      nextLink: "absolute",
      paging: "b1s-header",
      dateFormat: "timestamp",
      cookies: "reversed",
      loginVersion: false,
      batchContentId: false,
    },
  ],
  [
    "v2: rooted echoing nextLink, Set-Cookie folded into one header, 204 on create, UpdateTime as a timestamp",
    {
      ...classic,
      version: "v2",
      nextLink: "rooted",
      cookies: "folded",
      postReply: "no-content",
      timeFormat: "timestamp",
      minuteGrain: true,
    },
  ],
  [
    "v1 behind a reverse proxy under /sap: relative nextLink, 204 on create with Location Orders(DocEntry=n)",
    { ...classic, pathPrefix: "/sap", postReply: "no-content", locationKey: "named" },
  ],
];
const balancerFaults = ["empty500", "empty503", "html502"] as const;
const withFaults = (variant: SlVariant, failWith: (typeof balancerFaults)[number]): SlVariant => ({
  ...variant,
  faults: { expireSessionAfter: 9, failEvery: 6, failWith, loseCreateEvery: 2 },
});
const cases: [string, SlVariant][] = [
  ...variants,
  ...variants.map(([name, variant], n): [string, SlVariant] => {
    const failWith = balancerFaults[n % balancerFaults.length];
    return [
      `${name}; sessions expire, every 6th request the balancer's ${failWith}, every 2nd create answered 500`,
      withFaults(variant, failWith),
    ];
  }),
];

function configFor(sl: VariantServiceLayer, variant: SlVariant, extra: Partial<SapB1Config> = {}): SapB1Config {
  return {
    baseUrl: `${sl.origin}${variant.pathPrefix ?? ""}`,
    companyDb: credentials.CompanyDB,
    userName: credentials.UserName,
    password: credentials.Password,
    apiVersion: variant.version,
    pageSize: 7,
    retryAttempts: 8,
    ...extra,
  };
}

async function read(session: ConnectorSession, stream: string, state?: StreamState) {
  const records: ExternalRecord[] = [];
  let last: StreamState | undefined;
  for await (const message of session.read(stream, state)) {
    if (message.type === "record") records.push(message.record);
    else if (message.type === "state") last = message.state;
  }
  return { records, state: last };
}

const sorted = (values: unknown[]) => values.map(String).sort();
/** UpdateTime as the connector should report it: HH:MM:SS, seconds lost when the server sends HH:MM. */
const timeOf = (variant: SlVariant, row: Row) =>
  variant.timeFormat === "minutes" ? `${String(row.UpdateTime).slice(0, 5)}:00` : row.UpdateTime;
const stampOf = (variant: SlVariant, row: Row) => `${row.UpdateDate}T${timeOf(variant, row)}`;

function orders(records: number, prefix: string, extra: Row = {}): WriteRecord[] {
  return Array.from({ length: records }, (_, n) => ({
    idempotencyKey: `${prefix}-${n}`,
    record: {
      CardCode: `C0000${n + 1}`,
      Comments: `CRM order ${n}`,
      DocumentLines: [{ ItemCode: `A0001${n}`, Quantity: 1 + n, UnitPrice: 10 }],
      ...extra,
    },
  }));
}

describe.each(cases)("SAP B1 connector against an independent Service Layer (%s)", (_name, variant) => {
  let sl: VariantServiceLayer;
  let session: ConnectorSession;
  // Idempotency keys stay short (NumAtCard holds 100 characters; longer keys are hashed).
  const tag = `v${cases.findIndex((entry) => entry[1] === variant)}`;
  beforeAll(async () => {
    sl = await startVariantServiceLayer(variant);
    session = sapB1Connector.open(configFor(sl, variant));
  });
  afterAll(async () => {
    await session.close();
    await sl.close();
  });

  it("reads every pulled stream exactly: all rows, none twice, values as the server holds them", {
    timeout: 60_000,
  }, async () => {
    const partners = await read(session, "business_partners");
    expect(sorted(partners.records.map((r) => r.CardCode))).toEqual(
      sorted(sl.data.BusinessPartners.map((r) => r.CardCode)),
    );
    for (const record of partners.records) {
      const row = sl.data.BusinessPartners.find((bp) => bp.CardCode === record.CardCode)!;
      expect(record).toMatchObject({
        CardName: row.CardName,
        UpdateDate: row.UpdateDate,
        UpdateTime: timeOf(variant, row),
      });
    }
    const newest = sl.data.BusinessPartners.map((row) => stampOf(variant, row))
      .sort()
      .at(-1);
    expect(partners.state).toEqual({ cursor: newest });

    const items = await read(session, "items");
    expect(sorted(items.records.map((r) => r.ItemCode))).toEqual(sorted(sl.data.Items.map((r) => r.ItemCode)));
    for (const record of items.records) {
      const row = sl.data.Items.find((item) => item.ItemCode === record.ItemCode)!;
      expect(record.QuantityOnStock).toBe(row.QuantityOnStock);
      expect(record.ItemPrices).toHaveLength(Array.isArray(row.ItemPrices) ? row.ItemPrices.length : 0);
    }

    const stock = await read(session, "item_stock");
    const expectedStock = sl.data.Items.flatMap((item) =>
      ((item.ItemWarehouseInfoCollection ?? []) as Row[]).map(
        (w) => `${item.ItemCode}/${w.WarehouseCode}/${Number(w.InStock) - Number(w.Committed) + Number(w.Ordered)}`,
      ),
    );
    expect(sorted(stock.records.map((r) => `${r.ItemCode}/${r.WarehouseCode}/${r.Available}`))).toEqual(
      sorted(expectedStock),
    );

    for (const [stream, set] of [
      ["sales_orders", "Orders"],
      ["invoices", "Invoices"],
    ] as const) {
      const documents = await read(session, stream);
      expect(sorted(documents.records.map((r) => r.DocEntry))).toEqual(sorted(sl.data[set].map((r) => r.DocEntry)));
      for (const record of documents.records) {
        const row = sl.data[set].find((doc) => doc.DocEntry === record.DocEntry)!;
        expect(record).toMatchObject({ NumAtCard: row.NumAtCard, DocTotal: row.DocTotal, DocDate: row.DocDate });
        expect(record.DocumentLines).toHaveLength((row.DocumentLines as Row[]).length);
      }
    }

    const payments = await read(session, "incoming_payments");
    expect(sorted(payments.records.map((r) => r.DocEntry))).toEqual(
      sorted(sl.data.IncomingPayments.map((r) => r.DocEntry)),
    );
    expect(payments.state).toEqual({ after: Math.max(...sl.data.IncomingPayments.map((r) => Number(r.DocEntry))) });
    for (const record of payments.records) {
      const row = sl.data.IncomingPayments.find((p) => p.DocEntry === record.DocEntry)!;
      expect(record.PaymentInvoices).toEqual([
        expect.objectContaining({ DocEntry: (row.PaymentInvoices as Row[])[0].DocEntry, SumApplied: row.TransferSum }),
      ]);
    }

    if (variant.faults) expect(sl.logins).toBeGreaterThan(1);
    const balances = await read(session, "bp_balances");
    expect(sorted(balances.records.map((r) => `${r.CardCode}:${r.CurrentAccountBalance}`))).toEqual(
      sorted(sl.data.BusinessPartners.map((r) => `${r.CardCode}:${r.CurrentAccountBalance}`)),
    );
  });

  it("resumes from its cursor: rows changed later, even in the cursor's own minute, come; older rows do not", {
    timeout: 60_000,
  }, async () => {
    const first = await read(session, "items");
    const cursor = first.state?.cursor as string;
    expect(cursor).toBe(
      sl.data.Items.map((row) => stampOf(variant, row))
        .sort()
        .at(-1),
    );
    // Same minute as the cursor (for a minute-granular server, the very same stamp), then a later minute.
    sl.clock = "2026-05-01T14:35:59";
    sl.touch("Items", "A00030", { ItemName: "Renamed in the cursor's minute" });
    sl.clock = "2026-05-01T14:37:05";
    sl.touch("Items", "A00029", { ItemName: "Renamed later" });
    const second = await read(session, "items", first.state);
    const names = new Map(second.records.map((r) => [r.ItemCode, r.ItemName]));
    expect(names.get("A00030")).toBe("Renamed in the cursor's minute");
    expect(names.get("A00029")).toBe("Renamed later");
    expect(new Set(second.records.map((r) => r.ItemCode)).size).toBe(second.records.length);
    const since = "2026-05-01T14:30:00";
    for (const record of second.records) expect(`${record.UpdateDate}T${record.UpdateTime}` >= since).toBe(true);
    expect(second.state).toEqual({
      cursor: variant.minuteGrain || variant.timeFormat === "minutes" ? "2026-05-01T14:37:00" : "2026-05-01T14:37:05",
    });
  });

  it("pushes orders once each, as $batch change sets and as single requests", { timeout: 60_000 }, async () => {
    const before = sl.data.Orders.length;
    const single = sapB1Connector.open(configFor(sl, variant, { batchWrites: false }));
    try {
      const batched = orders(3, `batch-${tag}`);
      const singles = orders(3, `single-${tag}`);
      const results = [
        ...(await session.write("sales_orders", batched)),
        ...(await single.write("sales_orders", singles)),
      ];
      expect(results.filter((result) => !result.ok)).toEqual([]);
      const created = sl.data.Orders.slice(before);
      expect(created).toHaveLength(6);
      const byKey = new Map(created.map((order) => [order.NumAtCard, String(order.DocEntry)]));
      [...batched, ...singles].forEach((record, n) => {
        expect(results[n].ok && results[n].externalKey).toBe(byKey.get(record.idempotencyKey));
      });
      if (!variant.faults) expect(results.every((result) => result.ok && result.created)).toBe(true);
      // A create whose answer was lost was found by the lookup instead of being posted again.
      if (variant.faults) expect(results.some((result) => result.ok && !result.created)).toBe(true);
      const again = await session.write("sales_orders", batched);
      expect(again.map((result) => result.ok && result.created)).toEqual([false, false, false]);
      expect(sl.data.Orders).toHaveLength(before + 6);

      const customers = [1, 2, 3].map((n) => ({ idempotencyKey: `bp-${tag}-${n}`, record: { CardName: `New ${n}` } }));
      const partners = await session.write("business_partners", customers);
      expect(partners.filter((result) => !result.ok)).toEqual([]);
      const codes = partners.map((result) => (result.ok ? result.externalKey : ""));
      for (const [n, code] of codes.entries()) {
        expect(sl.data.BusinessPartners.filter((bp) => bp.CardCode === code).map((bp) => bp.CardName)).toEqual([
          `New ${n + 1}`,
        ]);
      }
    } finally {
      await single.close();
    }
  });

  it("reports rejected writes with the SAP code and message, whichever error shape the server uses", {
    timeout: 60_000,
  }, async () => {
    const before = sl.data.Orders.length;
    const [unknownCustomer] = await session.write("sales_orders", orders(1, `bad-card-${tag}`, { CardCode: "NOPE" }));
    expect(unknownCustomer).toMatchObject({ ok: false, code: "-2028" });
    expect(unknownCustomer.ok || unknownCustomer.message).toContain("No matching records found (ODBC -2028)");
    const [tooMany] = await session.write("sales_orders", [
      {
        idempotencyKey: `too-many-${tag}`,
        record: { CardCode: "C00001", DocumentLines: [{ ItemCode: "A00001", Quantity: 999 }] },
      },
    ]);
    expect(tooMany).toMatchObject({ ok: false, code: "-10" });
    expect(tooMany.ok || tooMany.message).toContain("Quantity falls into negative inventory");
    const [missing] = await session.write("business_partners", [
      { idempotencyKey: `gone-${tag}`, externalKey: "GONE", record: { Phone1: "1" } },
    ]);
    expect(missing).toMatchObject({ ok: false, code: "-2028" });
    expect(sl.data.Orders).toHaveLength(before);

    // In one $batch SL stops at the failing change set; the orders after it are still created, once.
    const mixed = orders(3, `mixed-${tag}`);
    mixed[1].record.CardCode = "NOPE";
    const results = await session.write("sales_orders", mixed);
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    expect(sl.data.Orders.slice(before).map((order) => order.NumAtCard)).toEqual([`mixed-${tag}-0`, `mixed-${tag}-2`]);
  });

  it("passes the connection check", async () => {
    expect(await session.check()).toEqual({ ok: true });
  });
});

describe("SAP B1 connector paging against an independent Service Layer", () => {
  it.each(["prefer", "b1s-header"] as const)(
    "pages at the configured size when the server honours %s",
    async (paging) => {
      const variant: SlVariant = { ...classic, paging };
      const sl = await startVariantServiceLayer(variant);
      const client = new ServiceLayerClient(resolveConfig(configFor(sl, variant)));
      try {
        const first = await client.page("Items?$orderby=ItemCode%20asc");
        expect(first.rows.map((row) => row.ItemCode)).toEqual([
          "A00001",
          "A00002",
          "A00003",
          "A00004",
          "A00005",
          "A00006",
          "A00007",
        ]);
        expect(first.next).toBe("Items?$orderby=ItemCode%20asc&$skip=7");
      } finally {
        await client.close();
        await sl.close();
      }
    },
  );
});

describe("SAP B1 connector creates answered without a key", () => {
  it("finds an order answered 204 without Location by its key instead of reporting it as created 'undefined'", async () => {
    const variant: SlVariant = { ...classic, postReply: "no-content", locationKey: "omitted" };
    const sl = await startVariantServiceLayer(variant);
    const session = sapB1Connector.open(configFor(sl, variant));
    try {
      const results = await session.write("sales_orders", orders(2, "no-location"));
      const entries = sl.data.Orders.slice(-2).map((order) => String(order.DocEntry));
      expect(results).toEqual(entries.map((externalKey) => ({ ok: true, externalKey, created: false })));
    } finally {
      await session.close();
      await sl.close();
    }
  });
});

describe.each(["v1", "v2"] as const)("SAP B1 connector errors from an independent %s Service Layer", (version) => {
  it("reads a refused login as the SAP code and message", async () => {
    const sl = await startVariantServiceLayer({ ...classic, version });
    const session = sapB1Connector.open({ ...configFor(sl, { ...classic, version }), password: "wrong" });
    try {
      const result = await session.check();
      expect(result.ok).toBe(false);
      expect(result.ok || result.message).toMatch(/100000027.*Login failed/);
    } finally {
      await session.close();
      await sl.close();
    }
  });

  it("reads a load balancer's HTML error page as text, not markup", async () => {
    const variant: SlVariant = { ...classic, version, faults: { failEvery: 1, failWith: "html502" } };
    const sl = await startVariantServiceLayer(variant);
    const session = sapB1Connector.open({ ...configFor(sl, variant), retryAttempts: 2 });
    try {
      const result = await session.check();
      expect(result.ok).toBe(false);
      expect(result.ok || result.message).toContain("HTTP 502");
      expect(result.ok || result.message).toContain("Proxy Error");
      expect(result.ok || result.message).not.toMatch(/[<>]/);
    } finally {
      await session.close();
      await sl.close();
    }
  });
});
