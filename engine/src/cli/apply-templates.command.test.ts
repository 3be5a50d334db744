import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoUsers } from "../apps/demo-users";
import { readInstalledApp } from "../apps/installed-apps";
import { seedEmptyEntities } from "../apps/seed-records";
import { createApiToken } from "../security/api-tokens";
import { findUserByLogin } from "../security/users";
import { templateDir } from "../testing/apply-template";
import { startTestEngine, type TestEngine } from "../testing/test-engine";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

async function kehuApply(engine: TestEngine, template: string) {
  const io = captureIo({ openDatabase: keepOpen(engine.ctx.db) });
  const code = await main(["apply", templateDir(template)], io);
  return { code, out: io.out(), err: io.err() };
}

/** Applies a template on an empty database, then again: the second run must plan nothing. */
async function applyTwice(engine: TestEngine, template: string) {
  const first = await kehuApply(engine, template);
  expect(first.err).toBe("");
  expect(first.code).toBe(0);
  expect(first.out).toMatch(new RegExp(`Installing ${template} \\d+\\.\\d+\\.\\d+\\.`));
  expect(first.out).toMatch(/Applied \d+ steps on \d+ entities/);
  const again = await kehuApply(engine, template);
  expect(again.code).toBe(0);
  expect(again.out).toContain("Nothing to apply: every entity is up to date.");
  expect(again.out).not.toMatch(/^ {2}[+!] /m);
  await engine.ctx.registry.refresh();
}

describe("the auto-dealer template", () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  }, 120_000);
  afterAll(() => engine?.close());

  it("applies on an empty database, and applying it again plans nothing", async () => {
    await applyTwice(engine, "auto-dealer");
    expect(engine.ctx.registry.list().map((e) => e.name)).toEqual(expect.arrayContaining(["vehicle", "lead"]));
    expect(await readInstalledApp(engine.ctx.db.knex, "auto-dealer")).toMatchObject({ version: "0.1.0" });
  }, 240_000);
});

describe("the building-materials template", () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  }, 120_000);
  afterAll(() => engine?.close());

  const tokenOf = async (login: string) => {
    const user = await findUserByLogin(engine.ctx.db.knex, login);
    const access = { name: "test", access: "read" as const, entities: null };
    return (await createApiToken(engine.ctx.db.knex, user?.id as string, access)).token;
  };
  const customersSeenBy = async (login: string) => {
    const res = await engine.http("/api/data/customer?limit=1000", { as: await tokenOf(login) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data as Array<{ code: string; department_id?: string }>;
  };

  it("applies on an empty database, and applying it again plans nothing", async () => {
    await applyTwice(engine, "building-materials");
    expect(await readInstalledApp(engine.ctx.db.knex, "building-materials")).toMatchObject({ version: "0.1.0" });
  }, 240_000);

  it("with its seed, shows a salesperson their own store's customers and finance all of them", async () => {
    const dir = templateDir("building-materials");
    await ensureDemoUsers(engine.ctx, dir, "kehu-demo-pw");
    expect((await seedEmptyEntities(engine.ctx, dir, "test")).customer).toBeGreaterThanOrEqual(50);
    const knex = engine.ctx.db.knex;
    const store = await knex("kehu.departments").where({ code: "SH-XH" }).first("id");
    const all: string[] = await knex("data.customer").whereNull("deleted_at").orderBy("code").pluck("code");
    const storeCodes: string[] = await knex("data.customer")
      .whereNull("deleted_at")
      .where({ department_id: store.id })
      .orderBy("code")
      .pluck("code");
    expect(storeCodes.length).toBeGreaterThan(0);
    expect(storeCodes.length).toBeLessThan(all.length);

    const codes = (rows: Array<{ code: string }>) => rows.map((r) => r.code).sort();
    expect(codes(await customersSeenBy("sales01"))).toEqual(storeCodes);
    expect(codes(await customersSeenBy("fin01"))).toEqual(all);
  }, 240_000);
});
