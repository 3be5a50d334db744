import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser, defineEntities, startTestEngine, type TestEngine } from "../testing";
import { seedEmptyEntities } from "./seed-records";

const note: EntityDefinition = {
  name: "seed_note",
  label: { en: "Note" },
  fields: [{ name: "title", type: "text", required: true, label: { en: "Title" } }],
};

let engine: TestEngine;
let dir: string;
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [note]);
  await createTestUser(engine.ctx, { login: "boss", isAdmin: true });
  await createTestUser(engine.ctx, { login: "nobody" });
  dir = mkdtempSync(join(tmpdir(), "kehu-seed-"));
  mkdirSync(join(dir, "seed"));
});
afterAll(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const seedWith = (records: unknown[], live: boolean) => {
  writeFileSync(join(dir, "seed", "01-seed_note.json"), JSON.stringify(records));
  return seedEmptyEntities(engine.ctx, dir, "test", { live });
};
const titles = async () =>
  (await engine.ctx.db.knex("data.seed_note").orderBy("title").select("title", "created_by")).map(
    (r) => `${r.title}:${r.created_by}`,
  );

describe("seed records marked $live", () => {
  it("are entered only when the caller asks, by their owner, after the history", async () => {
    const records = [
      { title: "history", $owner: "boss" },
      { title: "live", $owner: "boss", $live: true },
    ];
    expect(await seedWith(records, false)).toEqual({ seed_note: 1 });
    expect(await titles()).toEqual(["history:test"]);
    await engine.ctx.db.knex("data.seed_note").delete();
    expect(await seedWith(records, true)).toEqual({ seed_note: 2 });
    expect(await titles()).toEqual(["history:test", "live:boss"]);
    await engine.ctx.db.knex("data.seed_note").delete();
  });

  it("are refused, with nothing of their file written, when the owner could not have entered them", async () => {
    const refused = seedWith(
      [
        { title: "history", $owner: "boss" },
        { title: "not allowed", $owner: "nobody", $live: true },
      ],
      true,
    );
    await expect(refused).rejects.toThrow(/seed\/01-seed_note\.json: \$owner "nobody" is refused: You may not create/);
    await expect(seedWith([{ title: "x", $live: true }], true)).rejects.toThrow(/needs the "\$owner"/);
    expect(await titles()).toEqual([]);
  });
});
