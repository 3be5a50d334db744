import type { Issue } from "@kehu/core";
import type { EntityDefinition, FieldDefinition, SyncMapping } from "@kehu/schema";
import { dec, decText, mul, trimZeros } from "../computed/exact-decimal";
import { coerceValue, decimalText } from "./coerce-value";
import { type FieldSource, fieldSourceOf, readPath, sourcePaths } from "./field-source";
import type { LookupTable } from "./lookup-table";
import { evaluate } from "./sync-expression";

export type Inbound = { ok: true; body: Record<string, unknown> } | { ok: false; issues: Issue[] };

/** A stream record as an entity body, by the mapping: every field's problem at once, never a throw. */
export function mapInbound(
  mapping: SyncMapping,
  entity: EntityDefinition,
  record: Record<string, unknown>,
  lookups: LookupTable,
): Inbound {
  const body: Record<string, unknown> = {};
  const issues: Issue[] = [];
  for (const [name, raw] of Object.entries(mapping.fields)) {
    const field = entity.fields.find((f) => f.name === name);
    if (!field) continue;
    try {
      const source = fieldSourceOf(raw);
      const value = inboundValue(source, field, record, lookups);
      // Said in the ERP's terms: the record validator would only say "must be string" of the null.
      const from = sourcePaths(source)[0];
      if (value === null && field.required && from) {
        issues.push({ path: `/${name}`, message: `is required, but ${from} is empty` });
        continue;
      }
      if (value !== undefined) body[name] = value;
    } catch (e) {
      issues.push({ path: `/${name}`, message: (e as Error).message });
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, body };
}

function inboundValue(
  source: FieldSource,
  field: FieldDefinition,
  record: Record<string, unknown>,
  lookups: LookupTable,
): unknown {
  switch (source.kind) {
    case "field":
      return coerceValue(field, readPath(record, source.path));
    case "const":
      return source.value;
    case "expr":
      return coerceValue(field, evaluate(source.expr, record));
    case "valueMap": {
      const v = readPath(record, source.field);
      const key = v === null || v === undefined ? "" : String(v);
      if (Object.hasOwn(source.map, key)) return source.map[key];
      if (source.hasDefault) return source.default;
      if (v === null || v === undefined) return null;
      throw new Error(`${source.field} ${JSON.stringify(v)} has no value in the mapping's value map`);
    }
    case "lookup": {
      const v = readPath(record, source.from);
      if (v === null || v === undefined || v === "") return null;
      const id = lookups.get(source, v);
      if (!id) throw new Error(`no ${source.entity} with ${source.by} ${JSON.stringify(v)} (from ${source.from})`);
      return id;
    }
    case "money": {
      const amount = readPath(record, source.amount);
      if (amount === null || amount === undefined) return null;
      const currency = (source.currency ? readPath(record, source.currency) : undefined) ?? source.defaultCurrency;
      if (!currency) throw new Error(`${source.currency ?? "the currency"} is empty and the mapping names no default`);
      return { amount: typeof amount === "number" ? decimalText(amount) : amount, currency };
    }
    case "unit": {
      const v = readPath(record, source.from);
      if (v === null || v === undefined) return null;
      if (!/^-?\d+(\.\d+)?$/.test(String(typeof v === "number" ? decimalText(v) : v)))
        throw new Error(`${source.from} ${JSON.stringify(v)} is not a number`);
      const product = mul(dec(typeof v === "number" ? decimalText(v) : String(v)), dec(source.factor));
      const text = decText(trimZeros(product));
      if (field.type === "integer") {
        if (!/^-?\d+$/.test(text)) throw new Error(`${source.from} × ${source.factor} = ${text} is not a whole number`);
        return Number(text);
      }
      return text;
    }
  }
}
