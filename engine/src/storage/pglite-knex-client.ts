import type { Knex } from "knex";
import ClientPgLite from "knex-pglite";

/** knex-pglite's client, with the one method knex's typings leave out. */
const Base = ClientPgLite as unknown as new (
  config: Knex.Config,
) => { processResponse(obj: { method?: string }, runner: unknown): unknown };

/**
 * knex-pglite as knex's client, with the deleted-row count a `.delete()` answers on PostgreSQL: knex-pglite names the
 * command after knex's method, `del`, which knex's PostgreSQL dialect does not know as DELETE, so every `.delete()`
 * answered the whole driver result (always truthy) and a "nothing was deleted, so 404" check never fired on PGlite.
 */
export class PgliteKnexClient extends Base {
  override processResponse(obj: { method?: string }, runner: unknown): unknown {
    return super.processResponse(obj.method === "del" ? { ...obj, method: "delete" } : obj, runner);
  }
}
