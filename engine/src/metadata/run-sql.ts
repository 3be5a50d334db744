import type { Knex } from "knex";

/**
 * Runs one generated statement as is. knex reads every `?` as a placeholder even without bindings, so each is
 * escaped; literals never hold `\?` (see `quoteLiteral`), which knex would mangle.
 */
export async function runSql<T = { rows: unknown[] }>(knex: Knex, sql: string): Promise<T> {
  return (await knex.raw(sql.replaceAll("?", "\\?"))) as T;
}
