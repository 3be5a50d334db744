import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../../testing/test-engine";
import { createTestUser } from "../../testing/test-users";

let engine: TestEngine;
let clerk: { id: string; token: string };
beforeAll(async () => {
  engine = await startTestEngine();
  clerk = await createTestUser(engine.ctx, { login: "clerk" });
});
afterAll(() => engine.close());

const send = (method: string, path: string, body?: unknown, as?: string) => engine.http(path, { method, body, as });
const paths = (res: { body: { errors?: Array<{ path: string }> } }) => res.body.errors?.map((e) => e.path).sort();

describe("currencies API", () => {
  it("lists the seeded currencies with their minor units to anyone signed in; CNY is the base", async () => {
    const res = await engine.http("/api/admin/currencies", { as: clerk.token });
    expect(res.status).toBe(200);
    const byCode = Object.fromEntries(res.body.data.map((c: { code: string }) => [c.code, c]));
    expect(byCode.JPY).toMatchObject({ decimals: 0, rounding: "half_up", active: true, isBase: false });
    expect(byCode.KRW.decimals).toBe(0);
    expect(byCode.CNY).toMatchObject({ decimals: 2, isBase: true, label: { en: "Chinese yuan", zh: "人民币" } });
    expect((await engine.http("/api/admin/base-currency", { as: clerk.token })).body.code).toBe("CNY");
    expect((await engine.http("/api/admin/currencies", { anonymous: true })).status).toBe(401);
  });

  it("lets only administrators create and change currencies, with every bad property named", async () => {
    const body = { code: "XAU", label: { en: "Gold", zh: "黄金" }, decimals: 4, rounding: "half_even" };
    expect((await send("POST", "/api/admin/currencies", body, clerk.token)).status).toBe(403);
    const bad = await send("POST", "/api/admin/currencies", { code: "usd", decimals: 9, rounding: "up", x: 1 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(paths(bad)).toEqual(["/code", "/decimals", "/label", "/rounding", "/x"]);
    const created = await send("POST", "/api/admin/currencies", body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: "XAU", decimals: 4, rounding: "half_even", active: true });
    expect((await send("POST", "/api/admin/currencies", body)).status).toBe(409);
    const off = await send("PATCH", "/api/admin/currencies/XAU", { active: false });
    expect(off.body.active).toBe(false);
    expect((await send("PATCH", "/api/admin/currencies/XAU", { active: true }, clerk.token)).status).toBe(403);
    const base = await send("PATCH", "/api/admin/currencies/CNY", { active: false });
    expect(base.status).toBe(409);
    expect((await send("PATCH", "/api/admin/currencies/ZZZ", { active: true })).status).toBe(404);
  });
});

describe("exchange rates API", () => {
  it("creates dated rates, refuses bad, duplicate and base-currency rates, and filters the list", async () => {
    const rate = (currency: string, validFrom: string, r: unknown, as?: string) =>
      send("POST", "/api/admin/exchange-rates", { currency, validFrom, rate: r }, as);
    expect((await rate("USD", "2024-01-01", "7.1", clerk.token)).status).toBe(403);
    const bad = await rate("US", "2024-02-30", "-1");
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(["/currency", "/rate", "/validFrom"]);
    expect(paths(await rate("USD", "2024-01-01", "0"))).toEqual(["/rate"]);
    expect(paths(await rate("CNY", "2024-01-01", "1"))).toEqual(["/currency"]);
    expect(paths(await rate("QQQ", "2024-01-01", "1"))).toEqual(["/currency"]);
    const first = await rate("USD", "2024-01-01", "7.1");
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ currency: "USD", validFrom: "2024-01-01", rate: "7.1", createdBy: "system" });
    const dup = await rate("USD", "2024-01-01", 7.2);
    expect(dup.status).toBe(409);
    expect(paths(dup)).toEqual(["/validFrom"]);
    expect((await rate("USD", "2024-06-01", 7.25)).body.rate).toBe("7.25");
    await rate("EUR", "2024-03-01", "7.8");
    const usd = await engine.http("/api/admin/exchange-rates?currency=USD", { as: clerk.token });
    expect(usd.body.data.map((r: { validFrom: string }) => r.validFrom)).toEqual(["2024-06-01", "2024-01-01"]);
    const range = await engine.http("/api/admin/exchange-rates?from=2024-02-01&to=2024-05-31");
    expect(range.body.data.map((r: { currency: string }) => r.currency)).toEqual(["EUR"]);
    expect((await engine.http("/api/admin/exchange-rates?from=soon")).status).toBe(400);
  });

  it("updates and deletes rates; moving a rate onto a taken day is a 409", async () => {
    const { body } = await send("POST", "/api/admin/exchange-rates", {
      currency: "GBP",
      validFrom: "2024-01-01",
      rate: "9",
    });
    const other = await send("POST", "/api/admin/exchange-rates", {
      currency: "GBP",
      validFrom: "2024-02-01",
      rate: "9.1",
    });
    const changed = await send("PATCH", `/api/admin/exchange-rates/${body.id}`, { rate: "9.05" });
    expect(changed.body).toMatchObject({ rate: "9.05", updatedBy: "system" });
    expect((await send("PATCH", `/api/admin/exchange-rates/${body.id}`, { validFrom: "2024-02-01" })).status).toBe(409);
    expect((await send("DELETE", `/api/admin/exchange-rates/${other.body.id}`, undefined, clerk.token)).status).toBe(
      403,
    );
    expect((await send("DELETE", `/api/admin/exchange-rates/${other.body.id}`)).status).toBe(204);
    expect((await send("DELETE", `/api/admin/exchange-rates/${other.body.id}`)).status).toBe(404);
    expect((await send("PATCH", "/api/admin/exchange-rates/abc", { rate: "1" })).status).toBe(404);
  });

  it("converts with the rate in force on a date and rounds exactly by the target currency's rule", async () => {
    const sql = async (text: string, bindings: unknown[]) =>
      (await engine.ctx.db.knex.raw(text, bindings as never[])).rows[0].v as string;
    const toBase = (amount: string, currency: string, day: string) =>
      sql("SELECT kehu.to_base(?::numeric, ?, ?::date)::text AS v", [amount, currency, day]);
    expect(await toBase("100", "USD", "2024-01-01")).toBe("710.00");
    expect(await toBase("100", "USD", "2024-05-31")).toBe("710.00");
    expect(await toBase("100", "USD", "2024-06-01")).toBe("725.00");
    expect(await toBase("0.333", "USD", "2024-06-01")).toBe("2.41"); // 2.41425
    expect(await toBase("12.345", "CNY", "2000-01-01")).toBe("12.35");
    await expect(toBase("1", "USD", "2023-12-31")).rejects.toThrow(/No exchange rate for USD in force on 2023-12-31/);
    const round = (v: string, d: number, mode: string) =>
      sql("SELECT kehu.round_money(?::numeric, ?, ?)::text AS v", [v, d, mode]);
    const cases: Array<[string, number, string, string]> = [
      ["2.345", 2, "half_even", "2.34"],
      ["2.355", 2, "half_even", "2.36"],
      ["-2.345", 2, "half_even", "-2.34"],
      ["-2.355", 2, "half_even", "-2.36"],
      ["2.3451", 2, "half_even", "2.35"],
      ["2.345", 2, "half_up", "2.35"],
      ["-2.345", 2, "half_up", "-2.35"],
      ["2.5", 0, "half_even", "2"],
      ["3.5", 0, "half_even", "4"],
      ["0.5", 0, "half_up", "1"],
      ["123456789012345678.125", 2, "half_even", "123456789012345678.12"],
    ];
    for (const [v, d, mode, want] of cases)
      expect(`${v} ${mode} ${await round(v, d, mode)}`).toBe(`${v} ${mode} ${want}`);
    const usdToJpy = (amount: string) =>
      sql("SELECT kehu.convert_money(?::numeric, 'USD', 'JPY', ?::date)::text AS v", [amount, "2024-06-01"]);
    await expect(usdToJpy("1")).rejects.toThrow(/No exchange rate for JPY/);
    await send("POST", "/api/admin/exchange-rates", { currency: "JPY", validFrom: "2024-01-01", rate: "0.05" });
    expect(await usdToJpy("1.01")).toBe("146"); // 7.3225 CNY / 0.05 = 146.45 JPY, 0 decimals
  });
});

describe("base currency", () => {
  it("changes only while no exchange rates exist, by administrators, to an active currency", async () => {
    expect((await send("PUT", "/api/admin/base-currency", { code: "USD" }, clerk.token)).status).toBe(403);
    const refused = await send("PUT", "/api/admin/base-currency", { code: "USD" });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/no exchange rates exist/);
    const rates = await engine.http("/api/admin/exchange-rates");
    for (const r of rates.body.data) await send("DELETE", `/api/admin/exchange-rates/${r.id}`);
    expect(paths(await send("PUT", "/api/admin/base-currency", { code: "XAU" }))).toEqual(["/code"]); // inactive
    expect(paths(await send("PUT", "/api/admin/base-currency", { code: "usd" }))).toEqual(["/code"]);
    const changed = await send("PUT", "/api/admin/base-currency", { code: "USD" });
    expect(changed.body).toMatchObject({ code: "USD", isBase: true });
    const list = await engine.http("/api/admin/currencies");
    expect(list.body.data.filter((c: { isBase: boolean }) => c.isBase).map((c: { code: string }) => c.code)).toEqual([
      "USD",
    ]);
    expect((await send("PUT", "/api/admin/base-currency", { code: "CNY" })).status).toBe(200);
  });
});
