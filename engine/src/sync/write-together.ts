import type { Knex } from "knex";

/** One write of a page, as SQL with its `?` bindings. */
export interface PageWrite {
  sql: string;
  bindings: readonly unknown[];
}

/** A knex query builder's write as a `PageWrite` (its `?` placeholders kept). */
export function writeOf(query: Knex.QueryBuilder): PageWrite {
  const { sql, bindings } = query.toSQL();
  return { sql, bindings };
}

/**
 * Runs a page's writes as ONE statement, each in a data-modifying WITH clause: one round trip instead of one per
 * table. They all see the snapshot the statement starts with and none sees another's rows, so each must write its
 * own table (or rows no other one touches).
 */
export async function writeTogether(trx: Knex, writes: Array<PageWrite | undefined>): Promise<void> {
  const present = writes.filter((w): w is PageWrite => w !== undefined);
  if (!present.length) return;
  const bindings = present.flatMap((w) => w.bindings) as Knex.RawBinding[];
  if (present.length === 1) {
    await trx.raw(present[0].sql, bindings);
    return;
  }
  const clauses = present.map((w, i) => `w${i} AS (${w.sql})`);
  await trx.raw(`WITH ${clauses.join(", ")} SELECT 1`, bindings);
}
