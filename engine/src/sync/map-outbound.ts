import type { Issue } from "@kehu/core";
import type { SyncMapping } from "@kehu/schema";
import { fieldSourceOf, writePath } from "./field-source";
import type { LookupTable } from "./lookup-table";

export type Outbound = { ok: true; record: Record<string, unknown> } | { ok: false; issues: Issue[] };

/**
 * An entity record as a stream record, by the mapping reversed: plain fields, value maps read backwards, lookups
 * as the referenced record's key, money as amount and currency, units divided back. Constants and expressions
 * are pull-only and not written.
 */
export function mapOutbound(mapping: SyncMapping, record: Record<string, unknown>, lookups: LookupTable): Outbound {
  const out: Record<string, unknown> = {};
  const issues: Issue[] = [];
  for (const [name, raw] of Object.entries(mapping.fields)) {
    const source = fieldSourceOf(raw);
    const value = record[name];
    if (value === undefined) continue;
    switch (source.kind) {
      case "field":
        writePath(out, source.path, value);
        break;
      case "valueMap": {
        if (value === null) {
          writePath(out, source.field, null);
          break;
        }
        const hit = Object.entries(source.map).find(([, v]) => v === value);
        if (hit) writePath(out, source.field, hit[0]);
        else
          issues.push({ path: `/${name}`, message: `${JSON.stringify(value)} has no external value in the value map` });
        break;
      }
      case "lookup": {
        if (value === null) {
          writePath(out, source.from, null);
          break;
        }
        const key = lookups.get(source, value);
        if (key === undefined || key === null)
          issues.push({ path: `/${name}`, message: `the ${source.entity} it refers to has no ${source.by}` });
        else writePath(out, source.from, key);
        break;
      }
      case "money": {
        const money = value as { amount: string; currency: string } | null;
        writePath(out, source.amount, money === null ? null : Number(money.amount));
        if (source.currency) writePath(out, source.currency, money?.currency ?? null);
        break;
      }
      case "unit":
        writePath(out, source.from, value === null ? null : Number(value) / Number(source.factor));
        break;
      default:
        break;
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, record: out };
}
