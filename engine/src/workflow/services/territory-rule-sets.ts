import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { parseTerritoryTable, type TerritoryTable } from "./territory-rules";

const NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const keyOf = (name: string) => `territory:${name}`;

export function assertRuleSetName(name: string): void {
  if (!NAME.test(name))
    throw new AppError("validation_failed", "A rule set name is lower-case letters, digits, _ or -", [
      { path: "/name", message: "not a rule set name" },
    ]);
}

/** A stored territory table (admins change it without editing BPMN); undefined when none is stored under the name. */
export async function territoryRuleSet(knex: Knex, name: string): Promise<TerritoryTable | undefined> {
  const row = await knex("kehu.wf_settings")
    .where({ key: keyOf(name) })
    .first("value");
  return row ? parseTerritoryTable(row.value) : undefined;
}

/** Stores (activates) a territory table under a name after checking it. */
export async function saveTerritoryRuleSet(knex: Knex, name: string, table: unknown): Promise<TerritoryTable> {
  assertRuleSetName(name);
  const parsed = parseTerritoryTable(table);
  await knex("kehu.wf_settings")
    .insert({ key: keyOf(name), value: JSON.stringify(parsed) })
    .onConflict("key")
    .merge();
  return parsed;
}
