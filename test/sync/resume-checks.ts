import type { Engine } from "../../engine/src/create-engine";

type Knex = Engine["ctx"]["db"]["knex"];

import { expect } from "vitest";

/** After a rerun of a killed sync: no external record was created twice, and the killed run is recorded as failed. */
export async function expectCleanResume(knex: Knex, rerunId: string): Promise<void> {
  const twice = await knex("kehu.sync_ledger")
    .where({ outcome: "created" })
    .groupBy("external_key")
    .havingRaw("count(*) > 1")
    .select("external_key");
  expect(twice).toEqual([]);
  const killed = await knex("kehu.sync_runs").whereNot({ id: rerunId }).first();
  expect(killed).toMatchObject({ status: "failed", error: expect.stringMatching(/killed or crashed/) });
}
