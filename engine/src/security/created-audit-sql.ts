import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { columnsOf, isMoneyRollup } from "../storage/columns";
import { currencyColumn, quoteIdent } from "../storage/identifiers";
import type { SqlFragment } from "../storage/query-fields";
import { TRACKED_SYSTEM } from "./audit-writer";
import { type Principal, SYSTEM_PRINCIPAL } from "./principal";

// Function calls take at most 100 arguments: the entries are joined in groups of 50.
const ENTRIES_PER_CALL = 50;

/**
 * An `INSERT INTO kehu.audit_log ... SELECT ... FROM <source>` that audits the new records of a written batch in
 * the statement that wrote them: `source` is a CTE of the stored rows (with `_inserted`). Each row's changes are
 * built by the server exactly as `recordChanges(entity, null, record)` would build them in JavaScript (every
 * non-null field and tracked system column as `{old: null, new}`, values as the API shows them), so no record
 * travels back to Node. The JSON is put together as text and parsed once: cheaper than nested jsonb_build_object.
 */
export function createdAuditSql(entity: EntityDefinition, principal: Principal, source: string): SqlFragment {
  const values: Array<{ name: string; json: string; isNull: string }> = [
    ...entity.fields.flatMap((f) => (columnsOf(f).length ? [fieldJson(f, source)] : [])),
    ...TRACKED_SYSTEM.map((name) => {
      const col = `${source}.${quoteIdent(name)}`;
      return {
        name,
        json: name === "deleted_at" ? timestampJson(col) : `to_json(${col})::text`,
        isNull: `${col} IS NULL`,
      };
    }),
  ];
  const entries = values.map(
    (v) =>
      `CASE WHEN ${v.isNull} THEN NULL ELSE ${literal(`${JSON.stringify(v.name)}:{"old":null,"new":`)} || ${v.json} || '}' END`,
  );
  const groups: string[] = [];
  for (let i = 0; i < entries.length; i += ENTRIES_PER_CALL)
    groups.push(`NULLIF(concat_ws(',', ${entries.slice(i, i + ENTRIES_PER_CALL).join(", ")}), '')`);
  const changes = `('{' || ${groups.length === 1 ? `coalesce(${groups[0]}, '')` : `concat_ws(',', ${groups.join(", ")})`} || '}')::jsonb`;
  return {
    sql: `INSERT INTO kehu.audit_log (actor_id, actor_login, channel, entity, record_id, action, changes)
      SELECT ?::uuid, ?, ?, ?, ${source}.id, 'create', ${changes} FROM ${source} WHERE ${source}._inserted`,
    bindings: [
      principal.userId === SYSTEM_PRINCIPAL.userId ? null : principal.userId,
      principal.login,
      principal.channel,
      entity.name,
    ],
  };
}

/** A field's value as JSON text in the shape the API reads it (see value-parsers and rowToRecord), and when null. */
function fieldJson(field: FieldDefinition, source: string): { name: string; json: string; isNull: string } {
  const col = `${source}.${quoteIdent(field.name)}`;
  const isNull = `${col} IS NULL`;
  if (field.type === "money" || isMoneyRollup(field)) {
    const currency = `${source}.${quoteIdent(currencyColumn(field.name))}`;
    return {
      name: field.name,
      json: `json_build_object('amount', ${col}::text, 'currency', ${currency})::text`,
      isNull,
    };
  }
  const sqlType = columnsOf(field)[0].sqlType;
  if (sqlType === "numeric" || sqlType === "date")
    return { name: field.name, json: `to_json(${col}::text)::text`, isNull };
  if (sqlType === "timestamptz") return { name: field.name, json: timestampJson(col), isNull };
  if (sqlType === "jsonb")
    return { name: field.name, json: `${col}::text`, isNull: `(${isNull} OR ${col} = 'null'::jsonb)` };
  return { name: field.name, json: `to_json(${col})::text`, isNull };
}

/** `"2024-01-02T03:04:05.100Z"`: at least milliseconds, microseconds when present (as timestamptzToIso reads it). */
function timestampJson(col: string): string {
  const utc = `(${col} AT TIME ZONE 'UTC')`;
  return `to_json(to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS') || rtrim(substr(to_char(${utc}, 'US'), 4), '0') || 'Z')::text`;
}

/** A field name as an SQL string literal (names are identifiers, but quote them anyway). */
function literal(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}
