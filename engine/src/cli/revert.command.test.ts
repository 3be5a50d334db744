import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../create-engine";
import { createLogger } from "../logger";
import { applyEntities } from "../metadata/apply-entities";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db?.close());

async function kehu(...argv: string[]) {
  const io = captureIo({ openDatabase: keepOpen(db) });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
async function engineCtx() {
  return (await createEngine({ ...db, close: async () => {} }, createLogger("silent"))).ctx;
}

describe("kehu revert", () => {
  let added: number;

  it("previews with --dry-run, refuses a drop without --yes, then reverts with it", async () => {
    const ctx = await engineCtx();
    await applyEntities(ctx, [{ name: "ticket", fields: [{ name: "title", type: "text" }] }], { actor: "alice" });
    const def = ctx.registry.require("ticket");
    [added] = (
      await applyEntities(ctx, [{ ...def, fields: [...def.fields, { name: "due", type: "date" }] }], { actor: "alice" })
    ).revisions;
    const dry = await kehu("revert", String(added), "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`Revert revision ${added} of ticket:`);
    expect(dry.out).toMatch(
      /! Drop field due \(date\); its values are archived in kehu\.archived_values \[destructive\]/,
    );
    expect(dry.out).toContain("Dry run: nothing was reverted.");
    const refused = await kehu("revert", String(added));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("Refused: 1 destructive step (marked !) would drop data.");
    const done = await kehu("revert", String(added), "--yes");
    expect(done.code).toBe(0);
    expect(done.out).toMatch(new RegExp(`Reverted revision ${added} of ticket \\(new revision \\d+\\)\\.`));
    await ctx.registry.refresh();
    expect(ctx.registry.require("ticket").fields.map((f) => f.name)).toEqual(["title"]);
  });

  it("explains why an older revision cannot be reverted, and rejects a bad id", async () => {
    const r = await kehu("revert", String(added), "--yes");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      new RegExp(
        `error: Revision ${added} of ticket cannot be reverted while later revisions changed it: revert \\d+ first`,
      ),
    );
    const bad = await kehu("revert", "abc");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('kehu: revision id must be a number, not "abc"');
  });
});
