import { quoteIdent } from "../storage/identifiers";

/** `"schema"."table"` of a catalog table. */
export function qualified(t: { schema: string; name: string }): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

/** The group a table's findings are shown under: its entity, or `system` for Kehu's own tables. */
export function groupOf(t: { schema: string; name: string }): string {
  return t.schema === "data" ? t.name : "system";
}

/** `CREATE [UNIQUE] INDEX name ...` as `... INDEX IF NOT EXISTS name ...`, so a repair that already re-made it is a no-op. */
export function ifNotExists(indexDef: string): string {
  return indexDef.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS ");
}
