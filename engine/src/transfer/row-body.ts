import type { FieldDefinition } from "@kehu/schema";
import { coerceCell } from "./cell-coercion";
import type { ColumnTarget } from "./column-mapping";
import type { RowError } from "./row-errors";
import { isEmptyCell, type SheetRow } from "./sheet-row";

/** A row as a record body, the references it names by text (resolved later), and its cell errors. */
export interface RowBody {
  row: number;
  body: Record<string, unknown>;
  references: Map<FieldDefinition, string>;
  errors: RowError[];
}

/**
 * The record body of one sheet row: each mapped, non-empty cell coerced to its field (an empty cell leaves the
 * field out, so a default applies and an upsert keeps the stored value); money from its amount and currency cells.
 */
export function rowBody(columns: readonly ColumnTarget[], sheetRow: SheetRow): RowBody {
  const out: RowBody = { row: sheetRow.row, body: {}, references: new Map(), errors: [] };
  const currencies = new Map<string, string>();
  for (const c of columns) {
    const cell = sheetRow.cells[c.index];
    if (isEmptyCell(cell)) continue;
    const coerced = coerceCell(c.field, cell ?? null, c.part);
    if ("error" in coerced) {
      out.errors.push({ row: sheetRow.row, column: c.header, field: c.field.name, message: coerced.error });
      continue;
    }
    if (c.part === "currency") currencies.set(c.field.name, coerced.value as string);
    else if (c.field.type === "reference") out.references.set(c.field, coerced.value as string);
    else out.body[c.field.name] = coerced.value;
  }
  for (const c of columns) {
    if (c.field.type !== "money" || c.part !== "value") continue;
    const money = out.body[c.field.name] as { amount: string; currency?: string } | undefined;
    const currency = currencies.get(c.field.name);
    if (money && currency) money.currency = currency;
    if (money && !money.currency)
      out.errors.push({
        row: sheetRow.row,
        column: c.header,
        field: c.field.name,
        message: "needs a currency (a currency column, or the code after the amount: 12000.50 CNY)",
      });
  }
  return out;
}
