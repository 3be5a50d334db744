import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../../testing";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(() => engine?.close());

const invoice = {
  name: "invoice",
  fields: [
    { name: "name", type: "text", required: true },
    { name: "amount", type: "decimal", scale: 2 },
    { name: "fee", type: "money" },
  ],
};
const lastRevision = async (entity: string) =>
  (await engine.http(`/api/meta/revisions?entity=${entity}&limit=1`)).body.data[0];

describe("revisions over the API", () => {
  let created: number;
  let ids: string[];

  it("lists an entity's history newest first with diffs", async () => {
    expect((await engine.http("/api/meta/entities", { method: "POST", body: invoice })).status).toBe(201);
    created = (await lastRevision("invoice")).id;
    const rows = [
      { name: "A", amount: "10.05", fee: { amount: "0.10", currency: "CNY" } },
      { name: "B", amount: "-3.00", fee: { amount: "99999.99", currency: "USD" } },
    ];
    const bulk = await Promise.all(rows.map((body) => engine.http("/api/data/invoice", { method: "POST", body })));
    ids = bulk.map((r) => r.body.id);
    const { body } = await engine.http("/api/meta/entities/invoice");
    const renamed = {
      ...body.definition,
      fields: body.definition.fields.map((f: { name: string }) => (f.name === "amount" ? { ...f, name: "total" } : f)),
    };
    expect((await engine.http("/api/meta/entities/invoice", { method: "PUT", body: renamed })).status).toBe(200);
    const history = await engine.http("/api/meta/revisions?entity=invoice");
    expect(history.status).toBe(200);
    expect(history.body.data.map((r: { action: string }) => r.action)).toEqual(["update", "create"]);
    expect(history.body.data[0].diff).toMatchObject({
      added: [],
      dropped: [],
      renamed: [{ from: "amount", to: "total" }],
    });
    expect(history.body.data[1].diff.added).toEqual(["name", "amount", "fee"]);
    const one = await engine.http(`/api/meta/revisions/${history.body.data[0].id}`);
    expect(one.body).toMatchObject({ entity: "invoice", action: "update", reverts: null });
  });

  it("refuses to revert an older revision with a 409 problem naming the later one", async () => {
    const latest = await lastRevision("invoice");
    const res = await engine.http(`/api/meta/revisions/${created}/revert?confirm=1`, { method: "POST" });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({
      type: "https://kehu.dev/problems/conflict",
      later: [latest.id],
      errors: [{ path: `/revisions/${latest.id}`, message: expect.stringContaining("came later") }],
    });
  });

  it("previews a revert on a dry run, then reverts the rename", async () => {
    const latest = await lastRevision("invoice");
    const dry = await engine.http(`/api/meta/revisions/${latest.id}/revert?dryRun=1`, { method: "POST" });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, applied: false, reverts: latest.id });
    expect(dry.body.plan.steps[0]).toMatchObject({
      kind: "rename_field",
      description: "Rename total to amount, keeping its values",
    });
    const res = await engine.http(`/api/meta/revisions/${latest.id}/revert`, { method: "POST" });
    expect(res.status).toBe(200);
    const record = await engine.http(`/api/data/invoice/${ids[0]}`);
    expect(record.body).toMatchObject({ amount: "10.05", fee: { amount: "0.10", currency: "CNY" } });
    expect(await lastRevision("invoice")).toMatchObject({ action: "revert", reverts: latest.id });
  });

  it("reverts a drop over the API, values back exactly", async () => {
    const { body } = await engine.http("/api/meta/entities/invoice");
    const dropped = {
      ...body.definition,
      fields: body.definition.fields.filter((f: { name: string }) => f.name === "name"),
    };
    expect((await engine.http("/api/meta/entities/invoice?confirm=1", { method: "PUT", body: dropped })).status).toBe(
      200,
    );
    const drop = await lastRevision("invoice");
    const res = await engine.http(`/api/meta/revisions/${drop.id}/revert`, { method: "POST", body: { breaks: [] } });
    expect(res.status).toBe(200);
    const records = await Promise.all(ids.map((id) => engine.http(`/api/data/invoice/${id}`)));
    expect(records.map((r) => [r.body.amount, r.body.fee])).toEqual([
      ["10.05", { amount: "0.10", currency: "CNY" }],
      ["-3.00", { amount: "99999.99", currency: "USD" }],
    ]);
  });

  it("answers bad ids, bad bodies and confirmations with problem+json", async () => {
    const missing = await engine.http("/api/meta/revisions/999999/revert", { method: "POST" });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, detail: "No revision 999999" });
    expect((await engine.http("/api/meta/revisions/abc")).status).toBe(404);
    expect((await engine.http("/api/meta/revisions?limit=0")).body).toMatchObject({
      status: 400,
      errors: [{ path: "/limit" }],
    });
    const latest = await lastRevision("invoice");
    const badBody = await engine.http(`/api/meta/revisions/${latest.id}/revert`, {
      method: "POST",
      body: { breaks: "x" },
    });
    expect(badBody.body).toMatchObject({ status: 400, errors: [{ path: "/breaks" }] });
    // Reverting the restore drops the fields again: destructive, so it waits for confirm=1.
    const unconfirmed = await engine.http(`/api/meta/revisions/${latest.id}/revert`, { method: "POST" });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.type).toBe("https://kehu.dev/problems/confirmation-required");
  });
});
