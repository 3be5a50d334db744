import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemorySystem, memoryConnector } from "../../sync/testing/memory-connector";
import { accountMapping, bpEntity, orderEntity } from "../../sync/testing/sync-test-bed";
import { createTestUser, defineEntities, startTestEngine, type TestEngine } from "../../testing";

let engine: TestEngine;
let system: MemorySystem;
let userToken: string;
const secretKeyBefore = process.env.KEHU_SECRET_KEY;
beforeAll(async () => {
  process.env.KEHU_SECRET_KEY = randomBytes(32).toString("base64");
  engine = await startTestEngine();
  system = new MemorySystem();
  system.addStream({
    name: "partners",
    primaryKey: ["CardCode"],
    schema: {
      type: "object",
      properties: {
        CardCode: {},
        CardName: {},
        GroupCode: {},
        CreditLimit: {},
        Currency: {},
        Phone1: {},
        updatedAt: {},
      },
    },
  });
  engine.ctx.connectors = new Map([["memory", memoryConnector(system)]]);
  await defineEntities(engine.ctx, [bpEntity, orderEntity]);
  userToken = (await createTestUser(engine.ctx, { login: "clerk" })).token;
});
afterAll(async () => {
  await engine?.close();
  if (secretKeyBefore === undefined) delete process.env.KEHU_SECRET_KEY;
  else process.env.KEHU_SECRET_KEY = secretKeyBefore;
});

const connection = {
  name: "erp",
  connector: "memory",
  config: { baseUrl: "http://erp.test", userName: "manager", password: "s3cret" },
};

async function waitForRun(id: string) {
  const res = await engine.http(`/api/sync/runs/${id}/events`);
  expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
  const end = /event: end\ndata: (.*)\n/.exec(res.body as string);
  expect(end).not.toBeNull();
  return JSON.parse(end![1]);
}

describe("/api/sync", () => {
  it("keeps connection secrets encrypted at rest and never shows them", async () => {
    expect(
      (await engine.http("/api/sync/connections", { method: "POST", body: connection, as: userToken })).status,
    ).toBe(403);
    const bad = await engine.http("/api/sync/connections", {
      method: "POST",
      body: { ...connection, config: { baseUrl: "not a url" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: "/config/baseUrl", message: 'must match format "uri"' },
        { path: "/config/password", message: "is required" },
      ]),
    );
    const created = await engine.http("/api/sync/connections", { method: "POST", body: connection });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "erp",
      actAs: "sync.erp",
      config: { baseUrl: "http://erp.test", password: "********" },
    });
    const raw = await engine.ctx.db.knex.raw("SELECT config::text AS c FROM kehu.sync_connections");
    expect(raw.rows[0].c).not.toContain("s3cret");
    expect(raw.rows[0].c).toMatch(/"password": "kehu:v1:/);
    expect(JSON.stringify((await engine.http("/api/sync/connections")).body)).not.toContain("s3cret");
    // Sending the mask back keeps the secret: the check still logs in.
    const put = await engine.http("/api/sync/connections/erp", {
      method: "PUT",
      body: {
        ...created.body,
        streams: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        actAs: undefined,
        label: undefined,
        schedule: undefined,
      },
    });
    expect(put.status).toBe(200);
    expect((await engine.http("/api/sync/connections/erp/check", { method: "POST" })).body).toEqual({
      ok: true,
      streams: ["partners"],
    });
    expect((await engine.http("/api/sync/connections", { method: "POST", body: connection })).status).toBe(409);
  });

  it("refuses a schedule that is not a cron expression, on a connection and on a mapping", async () => {
    const bad = await engine.http("/api/sync/connections", {
      method: "POST",
      body: { ...connection, name: "nightly", schedule: "every 5 minutes", config: { baseUrl: "not a url" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: "/schedule", message: expect.stringContaining("cron expression") },
        { path: "/config/baseUrl", message: 'must match format "uri"' },
      ]),
    );
    for (const schedule of ["61 * * * *", "*/10 * * * * *", "0 0 0 * * * 2030", "0 9 15W * *", "0 0 LW * *"]) {
      const put = await engine.http("/api/sync/connections/erp", { method: "PUT", body: { ...connection, schedule } });
      expect(put.status, schedule).toBe(400);
      expect(put.body.errors[0].path).toBe("/schedule");
    }
    expect((await engine.http("/api/sync/connections/erp")).body.schedule).toBeNull();
    const mapping = await engine.http("/api/sync/mappings", {
      method: "POST",
      body: { ...accountMapping, schedule: "hourly" },
    });
    expect(mapping.status).toBe(400);
    expect(mapping.body.errors).toEqual([{ path: "/schedule", message: expect.stringContaining("cron expression") }]);
    expect((await engine.http(`/api/sync/mappings/${accountMapping.name}`)).status).toBe(404);
  });

  it("validates mappings against the entity and the stream, with paths", async () => {
    const res = await engine.http("/api/sync/mappings", {
      method: "POST",
      body: {
        ...accountMapping,
        fields: {
          ...accountMapping.fields,
          nickname: "CardName",
          phone: "Fax",
          tier: { valueMap: { field: "GroupCode", map: { "100": "platinum" } } },
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: "/fields/nickname", message: 'account has no field "nickname"' },
        { path: "/fields/phone", message: 'stream partners has no field "Fax"' },
        { path: "/fields/tier/valueMap/map/100", message: '"platinum" is not a value of tier' },
      ]),
    );
    const expr = await engine.http("/api/sync/mappings", {
      method: "POST",
      body: { ...accountMapping, fields: { ...accountMapping.fields, name: { expr: "upper(" } } },
    });
    expect(expr.body.errors[0].path).toBe("/fields/name/expr");
    const ok = await engine.http("/api/sync/mappings", {
      method: "POST",
      body: {
        ...accountMapping,
        fields: {
          ...accountMapping.fields,
          name: { expr: "upper(CardName)" },
          credit: { money: { amount: "CreditLimit", currency: "Currency" } },
        },
      },
    });
    expect(ok.status).toBe(201);
  });

  it("starts a run, streams its progress as server-sent events, and lists it", async () => {
    system.upsert("partners", { CardCode: "A1", CardName: "alpha", GroupCode: 100, Phone1: "1" });
    system.upsert("partners", { CardCode: "A2", CardName: "beta", GroupCode: 101 });
    system.upsert("partners", { CardCode: "A3", CardName: "x", Currency: null, CreditLimit: 5 });
    const started = await engine.http("/api/sync/runs", { method: "POST", body: { connection: "erp" } });
    expect(started.status).toBe(202);
    const run = await waitForRun(started.body.id);
    expect(run).toMatchObject({ status: "succeeded", read: 3, created: 2, failed: 1 });
    const names = await engine.http("/api/data/account?sort=code&fields=code,name");
    expect(names.body.data.map((r: { name: string }) => r.name)).toEqual(["ALPHA", "BETA"]);
    expect((await engine.http("/api/sync/runs?connection=erp")).body.data[0].id).toBe(run.id);
    expect((await engine.http("/api/sync/runs", { method: "POST", body: { connection: "nope" } })).status).toBe(404);
  });

  it("retries and discards dead letters", async () => {
    const first = await engine.http("/api/sync/dead-letters?status=open");
    // Read again and failing again, A3's letter is replaced by a newer one: one open letter per record.
    const again = await engine.http("/api/sync/runs", { method: "POST", body: { connection: "erp", full: true } });
    expect(await waitForRun(again.body.id)).toMatchObject({ status: "succeeded", failed: 1 });
    const list = await engine.http("/api/sync/dead-letters?status=open");
    expect(list.body.data).toMatchObject([
      { externalKey: "A3", direction: "pull", reason: expect.stringContaining("credit"), runId: again.body.id },
    ]);
    const replaced = await engine.http("/api/sync/dead-letters?status=replaced");
    expect(replaced.body.data).toMatchObject([
      { id: first.body.data[0].id, externalKey: "A3", status: "replaced", replacedBy: list.body.data[0].id },
    ]);
    // The mapping gains a default currency: a retry now goes through.
    const m = (await engine.http(`/api/sync/mappings/${accountMapping.name}`)).body;
    m.fields.credit = { money: { amount: "CreditLimit", currency: "Currency", defaultCurrency: "EUR" } };
    expect((await engine.http(`/api/sync/mappings/${m.name}`, { method: "PUT", body: m })).status).toBe(200);
    const retried = await engine.http(`/api/sync/dead-letters/${list.body.data[0].id}/retry`, { method: "POST" });
    expect(retried.body).toMatchObject({
      deadLetter: { status: "retried" },
      run: { created: 1, failed: 0, mode: "replay" },
    });
    expect(
      (await engine.http(`/api/sync/dead-letters/${list.body.data[0].id}/discard`, { method: "POST" })).status,
    ).toBe(409);
  });

  it("reports a conflict as CRM says / the ERP says / rule chose, and resolves it", async () => {
    const a1 = (await engine.http(`/api/data/account?filter=${encodeURIComponent('{"code":{"eq":"A1"}}')}`)).body
      .data[0];
    await engine.http(`/api/data/account/${a1.id}`, { method: "PATCH", body: { phone: "crm" } });
    system.upsert("partners", { CardCode: "A1", Phone1: "erp" });
    await waitForRun((await engine.http("/api/sync/runs", { method: "POST", body: { connection: "erp" } })).body.id);
    const open = await engine.http("/api/sync/conflicts?status=open");
    expect(open.body.data).toMatchObject([
      {
        externalKey: "A1",
        report: ['phone: CRM says "crm" / Memory ERP says "erp" / waiting for a decision (manual)'],
      },
    ]);
    const resolved = await engine.http(`/api/sync/conflicts/${open.body.data[0].id}/resolve`, {
      method: "POST",
      body: { take: "crm" },
    });
    expect(resolved.body).toMatchObject({
      status: "resolved",
      report: ['phone: CRM says "crm" / Memory ERP says "erp" / system chose CRM'],
    });
    const bad = await engine.http(`/api/sync/conflicts/${open.body.data[0].id}/resolve`, {
      method: "POST",
      body: { take: "crm" },
    });
    expect(bad.status).toBe(409);
  });

  it("replays one record and a run from its starting checkpoint", async () => {
    const replay = await engine.http("/api/sync/replay", {
      method: "POST",
      body: { connection: "erp", stream: "partners", externalKey: "A2" },
    });
    expect(replay.body).toMatchObject({ mode: "replay", read: 1, unchanged: 1 });
    const first = (await engine.http("/api/sync/runs?connection=erp")).body.data.at(-1);
    const again = await engine.http(`/api/sync/runs/${first.id}/replay`, { method: "POST" });
    expect(again.status).toBe(202);
    expect(await waitForRun(again.body.id)).toMatchObject({ status: "succeeded", mode: "replay", read: 4, created: 0 });
    const missing = await engine.http("/api/sync/replay", {
      method: "POST",
      body: { connection: "erp", stream: "partners", externalKey: "ZZ" },
    });
    expect(missing.status).toBe(404);
    // A numeric key (SAP's DocEntry) names a record like its text.
    const numeric = await engine.http("/api/sync/replay", {
      method: "POST",
      body: { connection: "erp", stream: "partners", externalKey: 12 },
    });
    expect(numeric.status).toBe(404);
    expect(numeric.body.detail).toMatch(/12/);

    // A replay body that does not parse, or names a checkpoint the run cannot take, starts nothing.
    const runsBefore = (await engine.http("/api/sync/runs?connection=erp&limit=500")).body.data.length;
    const refused: Array<[unknown, number, string]> = [
      ["{not json", 400, "malformed-json"],
      [{ state: "abc" }, 400, "/state"],
      [{ state: { partners: 5 } }, 400, "/state/partners"],
      [{ state: { orders: {} } }, 400, "/state/orders"],
      [{ from: {} }, 400, "/from"],
      [[], 400, "/"],
    ];
    for (const [body, status, named] of refused) {
      const res = await engine.http(`/api/sync/runs/${first.id}/replay`, { method: "POST", body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(res.body), JSON.stringify(body)).toContain(named);
    }
    expect((await engine.http("/api/sync/runs?connection=erp&limit=500")).body.data.length).toBe(runsBefore);
    const fromStart = await engine.http(`/api/sync/runs/${first.id}/replay`, {
      method: "POST",
      body: { state: { partners: null } },
    });
    expect(fromStart.status).toBe(202);
    expect(await waitForRun(fromStart.body.id)).toMatchObject({ status: "succeeded", read: 3, created: 0 });
  });

  it("pushes one record again by id, and acts as the configured user with its permissions", async () => {
    const a2 = (await engine.http(`/api/data/account?filter=${encodeURIComponent('{"code":{"eq":"A2"}}')}`)).body
      .data[0];
    const pushed = await engine.http("/api/sync/replay", {
      method: "POST",
      body: { mapping: "erp_accounts", recordId: a2.id },
    });
    expect(pushed.body).toMatchObject({ mode: "replay", read: 1, updated: 1, failed: 0 });
    const notUuid = await engine.http("/api/sync/replay", {
      method: "POST",
      body: { mapping: "erp_accounts", recordId: "A2" },
    });
    expect(notUuid.status).toBe(404);
    expect(notUuid.body.detail).toBe("No account record A2");

    const limited = { ...connection, name: "limited", actAs: "clerk" };
    expect((await engine.http("/api/sync/connections", { method: "POST", body: limited })).body.actAs).toBe("clerk");
    await engine.http("/api/sync/connections/limited/check", { method: "POST" });
    const m = {
      ...accountMapping,
      name: "limited_accounts",
      connection: "limited",
      direction: "pull",
      key: { external: ["CardCode"] },
    };
    expect((await engine.http("/api/sync/mappings", { method: "POST", body: m })).status).toBe(201);
    const run = await waitForRun(
      (await engine.http("/api/sync/runs", { method: "POST", body: { connection: "limited" } })).body.id,
    );
    expect(run).toMatchObject({ created: 0, failed: run.read });
    const dead = await engine.http(`/api/sync/dead-letters?run=${run.id}`);
    expect(dead.body.data[0].reason).toBe("You may not create account records");
    expect((await engine.http("/api/sync/connections/limited", { method: "DELETE" })).status).toBe(204);
    expect((await engine.http("/api/sync/mappings/limited_accounts")).status).toBe(404);
  });

  it("cancels a run started by this process", async () => {
    const release = system.hold();
    const started = await engine.http("/api/sync/runs", { method: "POST", body: { connection: "erp", full: true } });
    expect((await engine.http(`/api/sync/runs/${started.body.id}/cancel`, { method: "POST" })).status).toBe(202);
    release();
    expect(await waitForRun(started.body.id)).toMatchObject({ status: "cancelled", read: 0 });
    expect((await engine.http(`/api/sync/runs/${started.body.id}/cancel`, { method: "POST" })).status).toBe(409);
  });

  it("refuses a bad list query or id with a problem naming it, never a 500 or the SQL", async () => {
    for (const list of ["runs", "dead-letters", "conflicts"])
      for (const limit of ["-5", "0", "1.5", "abc", "100000"]) {
        const res = await engine.http(`/api/sync/${list}?limit=${limit}`);
        expect(res.status, `${list} limit=${limit}`).toBe(400);
        expect(res.body.errors).toEqual([
          { path: "/limit", message: expect.stringMatching(/^must be a whole number from 1 to \d+$/) },
        ]);
      }
    const status = await engine.http("/api/sync/dead-letters?status=closed");
    expect(status.status).toBe(400);
    expect(status.body.errors).toEqual([
      { path: "/status", message: "must be one of open, retried, discarded, replaced" },
    ]);
    expect((await engine.http("/api/sync/runs?status=done")).status).toBe(400);
    expect((await engine.http("/api/sync/conflicts?status=closed")).status).toBe(400);
    const run = await engine.http("/api/sync/dead-letters?run=abc");
    expect(run.status).toBe(400);
    expect(run.body.errors[0].path).toBe("/run");
    for (const path of ["dead-letters/99999999999999999999", "conflicts/99999999999999999999"]) {
      const res = await engine.http(`/api/sync/${path}`);
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/select|bigint/i);
    }
    expect((await engine.http("/api/sync/dead-letters/99999999999999999999/retry", { method: "POST" })).status).toBe(
      404,
    );
    expect((await engine.http("/api/sync/runs?limit=2&status=succeeded")).status).toBe(200);
  });

  it("names its mappings in the impact graph", async () => {
    const dependents = await engine.ctx.dependents.collect(engine.ctx.db.knex);
    expect(dependents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "sync_mapping", id: "erp_accounts", entity: "account", field: "code" }),
      ]),
    );
  });
});
