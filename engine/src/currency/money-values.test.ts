import type { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../testing/define-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";

const deal: EntityDefinition = {
  name: "deal",
  fields: [
    { name: "title", type: "text" },
    { name: "price", type: "money" },
    { name: "fee", type: "money", scale: 4 },
  ],
};
const contract: EntityDefinition = {
  name: "contract",
  fields: [
    { name: "title", type: "text" },
    {
      name: "collected",
      type: "rollup",
      child: "payment",
      via: "contract",
      function: "sum",
      field: "amount",
      rateDate: "paid_on",
    },
    {
      name: "largest",
      type: "rollup",
      child: "payment",
      via: "contract",
      function: "max",
      field: "amount",
      rateDate: "created_at",
    },
  ],
};
const payment: EntityDefinition = {
  name: "payment",
  fields: [
    { name: "contract", type: "reference", target: "contract", onDelete: "cascade" },
    { name: "amount", type: "money" },
    { name: "paid_on", type: "date" },
  ],
};

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [deal, contract, payment]);
});
afterAll(() => engine.close());

const post = (path: string, body: unknown) => engine.http(path, { method: "POST", body });
const paths = (res: { body: { errors?: Array<{ path: string }> } }) => res.body.errors?.map((e) => e.path).sort();
const money = (amount: string, currency: string) => ({ amount, currency });

describe("money values", () => {
  it("refuse unknown and inactive currencies and more decimals than the currency has, naming the field", async () => {
    await engine.http("/api/admin/currencies/HKD", { method: "PATCH", body: { active: false } });
    const bad = await post("/api/data/deal", { price: money("100.5", "JPY"), fee: money("1", "XYZ") });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: "/price/amount", message: 'JPY amounts have at most 0 decimal places; got "100.5"' },
      { path: "/fee/currency", message: 'unknown currency "XYZ"' },
    ]);
    expect(paths(await post("/api/data/deal", { price: money("1", "HKD") }))).toEqual(["/price/currency"]);
    // The field's scale allows 4 places, but USD has 2: nothing is rounded, the value is refused.
    expect(paths(await post("/api/data/deal", { fee: money("1.005", "USD") }))).toEqual(["/fee/amount"]);
    expect((await engine.http("/api/data/deal")).body.data).toEqual([]);
    const ok = await post("/api/data/deal", { price: money("1200", "JPY"), fee: money("0.125", "KWD") });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ price: money("1200", "JPY"), fee: money("0.125", "KWD") });
    const patched = await engine.http(`/api/data/deal/${ok.body.id}`, {
      method: "PATCH",
      body: { price: money("99.99", "KRW") },
    });
    expect(patched.status).toBe(400);
    expect(paths(patched)).toEqual(["/price/amount"]);
  });

  it("checks money in bulk writes, all or nothing, or skipping the bad records", async () => {
    const records = [{ price: money("1", "CNY") }, { price: money("1", "HKD") }, { price: money("1.5", "KRW") }];
    const atomic = await post("/api/data/deal/bulk", { records });
    expect(atomic.status).toBe(400);
    expect(paths(atomic)).toEqual(["/records/1/price/currency", "/records/2/price/amount"]);
    const partial = await post("/api/data/deal/bulk", { records, atomic: false });
    expect(partial.status).toBe(207);
    expect(partial.body).toMatchObject({ created: 1, ids: [expect.any(String), null, null] });
  });
});

describe("rollups over money", () => {
  it("need a rateDate naming a date of the child, and only over money", async () => {
    const refusal = async (fields: EntityDefinition["fields"]) =>
      (await defineEntities(engine.ctx, [{ ...contract, fields }]).catch((e) => e)) as AppError;
    const base = { name: "r", type: "rollup" as const, child: "payment", via: "contract", function: "sum" as const };
    const missing = await refusal([...contract.fields, { ...base, field: "amount" }]);
    expect(missing.issues).toEqual([
      expect.objectContaining({
        path: "/contract/fields/3/rateDate",
        message: expect.stringMatching(/needs "rateDate"/),
      }),
    ]);
    const notDate = await refusal([...contract.fields, { ...base, field: "amount", rateDate: "contract" }]);
    expect(notDate.issues[0]).toMatchObject({
      path: "/contract/fields/3/rateDate",
      message: 'payment has no date field named "contract"',
    });
  });

  it("sum and max payments in the base currency; a missing rate is a 422 naming currency and date", async () => {
    const c = await post("/api/data/contract", { title: "pipes" });
    expect(c.body).toMatchObject({ collected: money("0", "CNY"), largest: null });
    const pay = (amount: unknown, paid_on: string | null) =>
      post("/api/data/payment", { contract: c.body.id, amount, paid_on });
    expect((await pay(money("100.10", "CNY"), "2024-01-05")).status).toBe(201);
    const missing = await pay(money("10", "USD"), "2024-01-05");
    expect(missing.status).toBe(422);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    expect(missing.body.detail).toMatch(/No exchange rate for USD in force on 2024-01-05/);
    expect(missing.body).toMatchObject({ status: 422, currency: "USD", date: "2024-01-05" });
    const rate = await post("/api/admin/exchange-rates", { currency: "USD", validFrom: "2024-01-01", rate: "7.123" });
    await post("/api/admin/exchange-rates", { currency: "USD", validFrom: "2024-03-01", rate: "7.2" });
    expect((await pay(money("10", "USD"), "2024-01-05")).status).toBe(201); // 71.23
    expect((await pay(money("0.05", "USD"), "2024-03-02")).status).toBe(201); // 0.36
    const got = await engine.http(`/api/data/contract/${c.body.id}`);
    expect(got.body).toMatchObject({ collected: money("171.69", "CNY"), largest: { currency: "CNY" } });
    const sorted = await engine.http(
      `/api/data/contract?sort=-collected&filter=${encodeURIComponent('{"collected.currency":{"eq":"CNY"}}')}`,
    );
    expect(sorted.body.data.map((r: { title: string }) => r.title)).toEqual(["pipes"]);

    // A changed rate recomputes the stored total at once.
    await engine.http(`/api/admin/exchange-rates/${rate.body.id}`, { method: "PATCH", body: { rate: "7" } });
    expect((await engine.http(`/api/data/contract/${c.body.id}`)).body.collected).toEqual(money("170.46", "CNY"));
    // Deleting the only rate a payment needs is refused whole: the total could not be converted.
    const refused = await engine.http(`/api/admin/exchange-rates/${rate.body.id}`, { method: "DELETE" });
    expect(refused.status).toBe(422);
    expect((await engine.http("/api/admin/exchange-rates?currency=USD")).body.data).toHaveLength(2);
  });

  it("turns a rollup over a number into one over money and back, adding and dropping its currency column", async () => {
    const account: EntityDefinition = {
      name: "account",
      fields: [{ name: "total", type: "rollup", child: "invoice", via: "account", function: "sum", field: "net" }],
    };
    const invoice: EntityDefinition = {
      name: "invoice",
      fields: [
        { name: "account", type: "reference", target: "account" },
        { name: "net", type: "decimal" },
        { name: "gross", type: "money" },
      ],
    };
    await defineEntities(engine.ctx, [account, invoice]);
    const a = await post("/api/data/account", {});
    await post("/api/data/invoice", { account: a.body.id, net: "5", gross: money("10.00", "USD") });
    expect((await engine.http(`/api/data/account/${a.body.id}`)).body.total).toBe("5");
    const asMoney = { ...account.fields[0], field: "gross", rateDate: "created_at" };
    await defineEntities(engine.ctx, [{ ...account, fields: [asMoney] }]);
    // Created today: the latest USD rate (7.2, valid from 2024-03-01) converts it.
    expect((await engine.http(`/api/data/account/${a.body.id}`)).body.total).toEqual(money("72.00", "CNY"));
    await defineEntities(engine.ctx, [account]);
    const back = await engine.http(`/api/data/account/${a.body.id}`);
    expect(back.body.total).toBe("5");
    const columns = await engine.ctx.db
      .knex("information_schema.columns")
      .where({ table_schema: "data", table_name: "account" })
      .pluck("column_name");
    expect(columns).not.toContain("total__currency");
  });
});
