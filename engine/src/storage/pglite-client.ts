import ClientPgLite from "knex-pglite";

type Processed = { method?: string };

/**
 * knex-pglite with one fix: it names a delete's command after knex's method ("DEL", not "DELETE"), so knex handed back
 * PGlite's raw response (always truthy) instead of the number of rows deleted, and a "delete, 404 when nothing was
 * deleted" answered 204 on PGlite.
 */
export class PgLiteClient extends (ClientPgLite as unknown as new (
  config: object,
) => {
  processResponse(obj: Processed, runner: unknown): unknown;
}) {
  override processResponse(obj: Processed, runner: unknown): unknown {
    return super.processResponse(obj.method === "del" ? { ...obj, method: "delete" } : obj, runner);
  }
}
