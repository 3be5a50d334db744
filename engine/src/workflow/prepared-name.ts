import { createHash } from "node:crypto";

const names = new Map<string, string>();

/**
 * A name for `sql` as a prepared statement (node-postgres prepares a named statement once per connection and then
 * only binds and executes it; PostgreSQL skips parsing and planning). The name is derived from the text, because
 * one name must always carry the same text. For the statements every workflow step runs, whose text is long and
 * whose variants are few; PGlite ignores the name.
 */
export function preparedName(sql: string): string | undefined {
  // Behind a connection pooler in transaction mode (PgBouncer before 1.21), named statements must be turned off.
  if (process.env.KEHU_PG_NAMED_STATEMENTS === "off") return undefined;
  let name = names.get(sql);
  if (!name) {
    name = `kehu_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}
