import { AppError, pointer } from "@kehu/core";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { currencyColumn, quoteIdent } from "../storage/identifiers";
import { type FieldMatching, type FieldPair, matchFields } from "./field-matching";
import type { FieldValueSql } from "./rule-checks";
import { defaultLiteral } from "./sql-literals";
import { type Conversion, conversionOf } from "./type-conversions";

/** What the step builders of one plan share: both definitions, how their fields pair up, and how values convert. */
export interface PlanContext {
  entity: string;
  old: EntityDefinition;
  next: EntityDefinition;
  matching: FieldMatching;
  conversion(pair: FieldPair): Conversion;
  /** A stable key of a field across the change: the same for an old field and the new field it becomes. */
  keyOf(field: FieldDefinition): string;
  /** SQL of a new field's values read from the table before the plan runs (converted, or the default). */
  valueOf(field: FieldDefinition): FieldValueSql;
  /** JSON pointer into the new definition: `/fields/3/type`. */
  pathOf(field: FieldDefinition, key?: string): string;
}

/** Pairs the fields and decides every conversion; refuses at once a type change no data could make possible. */
export function planContext(old: EntityDefinition, next: EntityDefinition): PlanContext {
  const matching = matchFields(old.fields, next.fields);
  const keys = new Map<FieldDefinition, string>();
  matching.kept.forEach((p, i) => {
    keys.set(p.old, `k${i}`);
    keys.set(p.next, `k${i}`);
  });
  for (const [i, f] of matching.added.entries()) keys.set(f, `a${i}`);
  for (const [i, f] of matching.dropped.entries()) keys.set(f, `d${i}`);
  const pathOf = (field: FieldDefinition, key?: string) =>
    pointer("fields", next.fields.indexOf(field), ...(key === undefined ? [] : [key]));

  const conversions = new Map<FieldDefinition, Conversion>();
  for (const pair of matching.kept) conversions.set(pair.next, requireConversion(pair, pathOf(pair.next, "type")));
  const oldOf = new Map(matching.kept.map((p) => [p.next, p.old]));

  return {
    entity: next.name,
    old,
    next,
    matching,
    conversion: (pair) => conversions.get(pair.next)!,
    keyOf: (field) => keys.get(field)!,
    pathOf,
    valueOf(field) {
      const before = oldOf.get(field);
      if (!before) return { value: defaultLiteral(field) ?? "NULL" };
      const column = quoteIdent(before.name);
      const using = conversions.get(field)?.using;
      return {
        value: using ? `(${using(column)})` : column,
        ...(field.type === "money" ? { currency: quoteIdent(currencyColumn(before.name)) } : {}),
      };
    },
  };
}

function requireConversion(pair: FieldPair, path: string): Conversion {
  const conversion = conversionOf(pair.old, pair.next);
  if (conversion) return conversion;
  const message = `${pair.old.name} cannot change from ${pair.old.type} to ${pair.next.type} in place: add a new field and copy the values`;
  throw new AppError("migration_refused", message, [{ path, message }]);
}
