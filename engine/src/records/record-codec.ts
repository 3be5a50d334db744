import type { EntityDefinition } from "@kehu/schema";
import { isMoneyRollup } from "../storage/columns";
import { currencyColumn } from "../storage/identifiers";

/** A record as the API sends and receives it. */
export type RecordBody = Record<string, unknown>;

/**
 * Field values of a validated body as table columns: money splits into amount and currency, json is
 * sent as text (the pg driver would turn a JS array into a Postgres array).
 */
export function recordToRow(entity: EntityDefinition, body: RecordBody): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of entity.fields) {
    if (!(field.name in body)) continue;
    const value = body[field.name];
    switch (field.type) {
      case "money": {
        const money = value as { amount: string; currency: string } | null;
        row[field.name] = money?.amount ?? null;
        row[currencyColumn(field.name)] = money?.currency ?? null;
        break;
      }
      case "json":
        row[field.name] = value === null ? null : JSON.stringify(value);
        break;
      default:
        row[field.name] = value;
    }
  }
  return row;
}

/** A table row as the API record: system fields first, then fields in definition order. */
export function rowToRecord(
  entity: EntityDefinition,
  row: Record<string, unknown>,
  only?: ReadonlySet<string>,
): RecordBody {
  const record: RecordBody = { id: row.id, version: row.version };
  for (const field of entity.fields) {
    if (only && !only.has(field.name)) continue;
    const value = row[field.name];
    if (field.type === "money" || isMoneyRollup(field))
      record[field.name] =
        value === null || value === undefined ? null : { amount: value, currency: row[currencyColumn(field.name)] };
    else record[field.name] = value ?? null;
  }
  if (!only) {
    record.created_at = row.created_at;
    record.updated_at = row.updated_at;
    record.created_by = row.created_by ?? null;
    record.owner_id = row.owner_id ?? null;
    record.department_id = row.department_id ?? null;
    record.deleted_at = row.deleted_at ?? null;
  }
  return record;
}

/** Fields with a default that a new record leaves out get it. */
export function withDefaults(entity: EntityDefinition, body: RecordBody): RecordBody {
  const out = { ...body };
  for (const field of entity.fields)
    if (field.default !== undefined && !(field.name in out)) out[field.name] = structuredClone(field.default);
  return out;
}
