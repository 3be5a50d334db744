import { defineEntities, sampleContact, sampleCustomer, startTestEngine, type TestEngine } from "@kehu/engine/testing";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let engine: TestEngine;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const customer = {
  ...sampleCustomer,
  fields: sampleCustomer.fields.map((f) =>
    f.name === "tier"
      ? {
          ...f,
          values: [
            { value: "gold", label: { en: "Gold", zh: "金牌" } },
            { value: "potential", label: { en: "Potential", zh: "潜在" } },
            { value: "general", label: { en: "General", zh: "普通" } },
          ],
        }
      : f.name === "credit"
        ? { ...f, label: { en: "Credit", zh: "授信额度" } }
        : f,
  ),
};

const importCsv = (entity: string, csv: string, query = "") =>
  engine.http(`/api/data/${entity}/import${query}`, {
    method: "POST",
    body: csv,
    headers: { "content-type": "text/csv" },
  });
const upload = async (path: string, body: Uint8Array, type: string) => {
  const res = await fetch(engine.server.url + path, {
    method: "POST",
    body,
    headers: { "content-type": type, authorization: `Bearer ${engine.admin.token}` },
  });
  // biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field
  const json: any = await res.json();
  return { status: res.status, body: json };
};
const count = async (entity: string) =>
  Number((await engine.ctx.db.knex(`data.${entity}`).whereNull("deleted_at").count({ n: "*" }))[0].n);

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [customer, sampleContact]);
});
afterAll(() => engine?.close());

describe("CSV import", () => {
  it("maps labels, coerces cells and reports bad rows by sheet row, column and field (skip-invalid)", async () => {
    const csv = [
      "名称,code,Tier,授信额度,授信额度（币种）,active,founded,tags",
      "甲公司,K1,金牌,12000.50,CNY,是,2024/03/05,vip;new",
      '乙公司,K2,Potential,"1,000",USD,否,45000,',
      ",K3,general,5,CNY,yes,2024-01-01,",
      "丁公司,K4,platinum,5,CNY,1,2024-02-30,",
      '"戊公司\nline two",K5,gold,abc,CNY,maybe,2024-01-01,',
      "己公司,K6,,7,,0,,overseas",
    ].join("\n");
    const res = await importCsv("customer", csv, "?mode=skip-invalid");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.created).toBe(2);
    expect(res.body.skipped).toBe(4);
    const rows = res.body.errors.map((e: { row: number; column: string; field: string }) => [e.row, e.column, e.field]);
    expect(rows).toEqual([
      [4, "名称", "name"],
      [5, "Tier", "tier"],
      [5, "founded", "founded"],
      [6, "授信额度", "credit"],
      [6, "active", "active"],
      [7, "授信额度", "credit"],
    ]);
    const k1 = await engine.http(`/api/data/customer?filter=${encodeURIComponent('{"code":{"eq":"K1"}}')}`);
    expect(k1.body.data[0]).toMatchObject({
      name: "甲公司",
      tier: "gold",
      credit: { amount: "12000.50", currency: "CNY" },
      active: true,
      founded: "2024-03-05",
      tags: ["vip", "new"],
    });
    const k2 = await engine.http(`/api/data/customer?filter=${encodeURIComponent('{"code":{"eq":"K2"}}')}`);
    expect(k2.body.data[0]).toMatchObject({ credit: { amount: "1000", currency: "USD" }, founded: "2023-03-15" });
  });

  it("all-or-nothing refuses the whole file with 422 and the row errors, leaving the table untouched", async () => {
    const before = await count("customer");
    const csv = ["name,code,employees", "A,N1,1", "B,N2,-3", "C,N3,x"].join("\n");
    const res = await importCsv("customer", csv);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [3, "employees"],
      [4, "employees"],
    ]);
    expect(await count("customer")).toBe(before);
  });

  it("upserts by a unique field: existing rows are updated (only the columns given), new ones created", async () => {
    const first = await importCsv("customer", "name,code,employees\nUp One,U1,10\nUp Two,U2,20");
    expect(first.body).toMatchObject({ created: 2, updated: 0, skipped: 0 });
    const res = await importCsv("customer", "code,employees\nU1,11\nU3,30", "?mode=skip-invalid&upsertBy=code");
    expect(res.body).toMatchObject({ created: 0, updated: 1, skipped: 1 });
    expect(res.body.errors).toEqual([{ row: 3, column: null, field: "name", message: "is required" }]);
    const u1 = await engine.http(`/api/data/customer?filter=${encodeURIComponent('{"code":{"eq":"U1"}}')}`);
    expect(u1.body.data[0]).toMatchObject({ name: "Up One", employees: 11, version: 2 });
  });

  it("isolates rows the database refuses (a unique value already taken) without losing the good rows beside them", async () => {
    await importCsv("customer", "name,code\nTaken,T1");
    const rows = Array.from({ length: 40 }, (_, i) => `Row ${i},${i === 7 || i === 31 ? "T1" : `TT${i}`}`);
    const res = await importCsv("customer", ["name,code", ...rows].join("\n"), "?mode=skip-invalid");
    expect(res.body.created).toBe(38);
    expect(res.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [9, "code"],
      [33, "code"],
    ]);
    expect(res.body.errors[0].message).toContain("T1");
  });

  it("a file that breaks half-way is refused naming the row, and nothing of it is kept, even in skip-invalid", async () => {
    const before = await count("customer");
    const res = await importCsv("customer", 'name,code\nWhole,W1\nBroken,"W2\n', "?mode=skip-invalid");
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/cannot be read after row 2/);
    expect(await count("customer")).toBe(before);
  });

  it("a dry run reports what would happen and writes nothing", async () => {
    const before = await count("customer");
    const res = await importCsv("customer", "name,code\nDry,D1\nDry2,D1", "?mode=skip-invalid&dryRun=1");
    expect(res.body).toMatchObject({ created: 1, skipped: 1, dryRun: true });
    expect(res.body.errors[0]).toMatchObject({ row: 3, column: "code", message: 'repeats code "D1" of row 2' });
    expect(await count("customer")).toBe(before);
  });

  it("reads semicolons, quoted line breaks and references by title, and GB18030 text", async () => {
    await importCsv("customer", "name,code\n华为技术,HW");
    const text = 'name;customer\n"张三\n(销售)";华为技术\n李四;不存在的公司\n王五;HW';
    const res = await importCsv("contact", text, "?mode=skip-invalid");
    expect(res.body.created, JSON.stringify(res.body)).toBe(2);
    expect(res.body.errors).toEqual([
      { row: 3, column: "customer", field: "customer", message: 'no customer record with name or code "不存在的公司"' },
    ]);
    // "赵六,HW" as Excel saves it in a Chinese locale: 赵 = D5 D4, 六 = C1 F9 in GB18030.
    const gbk = Buffer.concat([
      Buffer.from("name,customer\r\n"),
      Buffer.from([0xd5, 0xd4, 0xc1, 0xf9]),
      Buffer.from(",HW\r\n"),
    ]);
    const sent = await upload("/api/data/contact/import", gbk, "text/csv");
    expect(sent.status).toBe(200);
    expect((await engine.ctx.db.knex("data.contact").where({ name: "赵六" })).length).toBe(1);
  });

  it("refuses unknown columns naming them, unless mapped or ignored", async () => {
    const csv = "name,colour\nX,red";
    const refused = await importCsv("customer", csv);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: "/columns/colour", message: expect.stringContaining("no field") }]);
    const ignored = await importCsv("customer", csv, "?ignoreUnknown=1");
    expect(ignored.body.created).toBe(1);
    const mapped = await importCsv("customer", csv, `?mapping=${encodeURIComponent('{"colour":"notes"}')}`);
    expect(mapped.body.created).toBe(1);
    expect((await engine.ctx.db.knex("data.customer").where({ notes: "red" })).length).toBe(1);
  });
});

describe("XLSX import", () => {
  it("reads the named sheet with dates, numbers, rich text and formula results, numbered as Excel shows rows", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("Notes").addRow(["ignore me"]);
    const sheet = workbook.addWorksheet("客户");
    sheet.addRow(["Name", "code", "employees", "rating", "founded", "last_contact", "credit", "active"]);
    sheet.addRow([
      { richText: [{ text: "富" }, { text: "文本" }] },
      "X1",
      42,
      { formula: "1+2", result: 3.25 },
      new Date(Date.UTC(2020, 4, 17)),
      new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      "88.5 EUR",
      true,
    ]);
    sheet.addRow([]);
    sheet.addRow(["Bad", "X2", 1.5, 1, "someday", null, 1, false]);
    const buffer = new Uint8Array(await workbook.xlsx.writeBuffer());
    const res = await upload("/api/data/customer/import?mode=skip-invalid&sheet=%E5%AE%A2%E6%88%B7", buffer, XLSX);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [4, "employees"],
      [4, "founded"],
      [4, "credit"],
    ]);
    const x1 = await engine.http(`/api/data/customer?filter=${encodeURIComponent('{"code":{"eq":"X1"}}')}`);
    expect(x1.body.data[0]).toMatchObject({
      name: "富文本",
      employees: 42,
      rating: "3.25",
      founded: "2020-05-17",
      credit: { amount: "88.5", currency: "EUR" },
      active: true,
    });
    expect(new Date(x1.body.data[0].last_contact).toISOString()).toBe("2024-01-02T03:04:05.000Z");
    const missing = await upload("/api/data/customer/import?sheet=Nope", buffer, XLSX);
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toContain("Notes, 客户");
  });

  it("takes the file from a multipart form", async () => {
    const form = new FormData();
    form.append("file", new Blob(["name,code\nForm One,F1\n"], { type: "text/csv" }), "customers.csv");
    const res = await fetch(`${engine.server.url}/api/data/customer/import`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${engine.admin.token}` },
    });
    expect(await res.json()).toMatchObject({ created: 1, skipped: 0 });
  });
});

describe("export", () => {
  beforeAll(async () => {
    await importCsv(
      "customer",
      "name,code,tier,credit,notes\n=HYPERLINK(1),E1,gold,-5.5 CNY,+cmd\n@SUM,E2,general,,'=already",
    );
    await importCsv("contact", "name,customer\nLinked,E1");
  });

  it("streams CSV with a BOM, labelled headers, money as two columns, titles for references, formulas neutralised", async () => {
    const res = await engine.http(
      `/api/data/customer/export?format=csv&fields=name,code,tier,credit,notes&filter=${encodeURIComponent('{"code":{"startsWith":"E"}}')}&sort=code`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(
      await (
        await fetch(engine.server.url + "/api/data/customer/export", {
          headers: { authorization: `Bearer ${engine.admin.token}` },
        })
      ).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect((res.body as string).split("\r\n")).toEqual([
      "Name,code,tier,Credit,Credit (currency),notes",
      "'=HYPERLINK(1),E1,Gold,-5.5,CNY,'+cmd",
      "'@SUM,E2,General,,,'=already",
      "",
    ]);
    const zh = await engine.http("/api/data/contact/export?header=zh");
    expect((zh.body as string).split("\r\n")).toContain("Linked,=HYPERLINK(1)".replace("=", "'="));
    const ids = await engine.http("/api/data/contact/export?header=name&references=id&fields=id,customer");
    expect((ids.body as string).split("\r\n")[1]).toMatch(/^[0-9a-f-]{36},[0-9a-f-]{36}$/);
  });

  it("round-trips: an exported file imports back to the same values", async () => {
    const exported = await engine.http(
      `/api/data/customer/export?filter=${encodeURIComponent('{"code":{"in":["E1","E2"]}}')}`,
    );
    await engine.ctx.db.knex("data.customer").whereIn("code", ["E1", "E2"]).update({ notes: "changed" });
    const res = await importCsv("customer", exported.body as string, "?upsertBy=code");
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ created: 0, updated: 2, skipped: 0 });
    const notes = await engine.ctx.db
      .knex("data.customer")
      .whereIn("code", ["E1", "E2"])
      .orderBy("code")
      .pluck("notes");
    expect(notes).toEqual(["+cmd", "=already"]);
  });

  it("streams XLSX with string cells for formula-like text and number cells for numbers", async () => {
    const res = await fetch(
      `${engine.server.url}/api/data/customer/export?format=xlsx&fields=name,credit&sort=code&filter=${encodeURIComponent('{"code":{"eq":"E1"}}')}`,
      {
        headers: { authorization: `Bearer ${engine.admin.token}` },
      },
    );
    expect(res.headers.get("content-type")).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, "Name", "Credit", "Credit (currency)"]);
    expect(sheet.getCell("A2").value).toBe("'=HYPERLINK(1)");
    expect(sheet.getCell("A2").type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell("B2").value).toBe(-5.5);
  });

  it("refuses list options that do not apply and bad formats", async () => {
    expect((await engine.http("/api/data/customer/export?limit=5")).status).toBe(400);
    expect((await engine.http("/api/data/customer/export?format=pdf")).status).toBe(400);
    expect((await engine.http("/api/data/customer/export?fields=nope")).status).toBe(400);
  });
});
