import type { FieldDefinition } from "@kehu/schema";
import { excelSerialToDate, isoDate } from "./excel-dates";
import { unneutralise } from "./formula-guard";
import { normaliseHeader } from "./header-names";
import type { SheetCell } from "./sheet-row";

/** A cell turned into a field value, or why it cannot be. */
export type Coerced = { value: unknown } | { error: string };

const TRUE = new Set(["true", "yes", "y", "1", "是", "对", "真"]);
const FALSE = new Set(["false", "no", "n", "0", "否", "错", "假"]);

/**
 * A non-empty cell as the value of a field's part, by the field's type: numbers with thousands separators, dates as
 * ISO, `YYYY/MM/DD`, `YYYY年M月D日` or Excel serials, booleans as true/false/yes/no/是/否/1/0, enums by value or
 * label. References are returned as text (resolved per chunk). The record's JSON Schema validates the result.
 */
export function coerceCell(field: FieldDefinition, cell: SheetCell, part: "value" | "currency" = "value"): Coerced {
  if (part === "currency") return { value: text(cell).trim().toUpperCase() };
  switch (field.type) {
    case "integer":
      return integer(cell);
    case "decimal":
      return decimal(cell);
    case "money":
      return money(field, cell);
    case "boolean":
      return boolean(cell);
    case "date":
      return date(cell);
    case "datetime":
      return datetime(cell);
    case "enum":
      return enumValue(field, text(cell).trim());
    case "multienum":
      return multienum(field, cell);
    case "json":
      return json(cell);
    case "email":
    case "phone":
    case "url":
    case "reference":
      return { value: text(cell).trim() };
    default:
      return { value: text(cell) };
  }
}

function text(cell: SheetCell): string {
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === "number") return numberText(cell);
  return unneutralise(String(cell ?? ""));
}

/** A number as decimal text without float noise or exponent (Excel keeps 15 significant digits). */
export function numberText(n: number): string {
  const rounded = Number(n.toPrecision(15));
  if (Math.abs(rounded) < 1e21 && Math.abs(rounded) >= 1e-6) return String(rounded);
  return rounded.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
}

const NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

function numeric(cell: SheetCell): string | undefined {
  if (typeof cell === "number") return Number.isFinite(cell) ? numberText(cell) : undefined;
  const s = text(cell).trim().replace(/^\+/, "");
  return NUMBER.test(s) ? s.replaceAll(",", "") : undefined;
}

function integer(cell: SheetCell): Coerced {
  const s = numeric(cell);
  if (s === undefined || !/^-?\d+$/.test(s)) return { error: `"${text(cell)}" is not a whole number` };
  const n = Number(s);
  return Number.isSafeInteger(n) ? { value: n } : { error: `${s} is too large for a whole number` };
}

function decimal(cell: SheetCell): Coerced {
  const s = numeric(cell);
  return s === undefined ? { error: `"${text(cell)}" is not a number` } : { value: s };
}

const MONEY = /^([A-Za-z]{3})?\s*([+-]?[\d,]+(?:\.\d+)?)\s*([A-Za-z]{3})?$/;

function money(field: FieldDefinition, cell: SheetCell): Coerced {
  const only = field.currencies?.length === 1 ? field.currencies[0] : undefined;
  if (typeof cell === "number") return { value: { amount: numeric(cell), currency: only } };
  const m = MONEY.exec(text(cell).trim());
  const amount = m && numeric(m[2]);
  if (!m || amount === undefined || (m[1] && m[3]))
    return { error: `"${text(cell)}" is not an amount (e.g. "12000.50 CNY")` };
  return { value: { amount, currency: (m[1] ?? m[3])?.toUpperCase() ?? only } };
}

function boolean(cell: SheetCell): Coerced {
  if (typeof cell === "boolean") return { value: cell };
  const s = text(cell).trim().toLowerCase();
  if (TRUE.has(s)) return { value: true };
  if (FALSE.has(s)) return { value: false };
  return { error: `"${text(cell)}" is not a yes/no value (true/false, yes/no, 是/否, 1/0)` };
}

const DATE_TEXT = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;

function date(cell: SheetCell): Coerced {
  const bad = { error: `"${text(cell)}" is not a date (YYYY-MM-DD)` };
  if (cell instanceof Date) return { value: cell.toISOString().slice(0, 10) };
  const s = text(cell).trim();
  const serial = typeof cell === "number" ? cell : /^\d{1,7}(\.\d+)?$/.test(s) ? Number(s) : undefined;
  if (serial !== undefined) {
    const d = excelSerialToDate(Math.floor(serial));
    return d ? { value: d.toISOString().slice(0, 10) } : bad;
  }
  const m = DATE_TEXT.exec(s);
  const iso = m && isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return iso ? { value: iso } : bad;
}

const DATETIME_TEXT =
  /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function datetime(cell: SheetCell): Coerced {
  const bad = { error: `"${text(cell)}" is not a date and time (ISO 8601)` };
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? bad : { value: cell.toISOString() };
  const s = text(cell).trim();
  const serial = typeof cell === "number" ? cell : /^\d{1,7}(\.\d+)?$/.test(s) ? Number(s) : undefined;
  if (serial !== undefined) {
    const d = excelSerialToDate(serial);
    return d ? { value: d.toISOString() } : bad;
  }
  const m = DATETIME_TEXT.exec(s);
  if (!m) {
    const day = date(s);
    return "value" in day ? { value: `${day.value}T00:00:00Z` } : bad;
  }
  const day = date(m[1]);
  if (!("value" in day)) return bad;
  const time = `${m[2].padStart(2, "0")}:${m[3]}:${m[4] ?? "00"}${m[5] ?? ""}`;
  // Without an offset the time is taken as UTC, the database's zone.
  return { value: `${day.value}T${time}${m[6] ?? "Z"}` };
}

function enumValue(field: FieldDefinition, s: string): Coerced {
  const values = field.values ?? [];
  const key = normaliseHeader(s);
  for (const v of values) {
    const value = typeof v === "string" ? v : v.value;
    if (value === s) return { value };
  }
  for (const v of values) {
    const value = typeof v === "string" ? v : v.value;
    const labels = typeof v === "string" ? [] : [v.label?.en, v.label?.zh];
    if ([value, ...labels].some((l) => l !== undefined && normaliseHeader(l) === key)) return { value };
  }
  const names = values.map((v) => (typeof v === "string" ? v : v.value));
  return { error: `"${s}" is not one of: ${names.join(", ")}` };
}

function multienum(field: FieldDefinition, cell: SheetCell): Coerced {
  const parts = text(cell)
    .split(/[;,，；|、]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    const one = enumValue(field, p);
    if ("error" in one) return one;
    out.push(one.value as string);
  }
  return { value: out };
}

function json(cell: SheetCell): Coerced {
  if (typeof cell === "number" || typeof cell === "boolean") return { value: cell };
  try {
    return { value: JSON.parse(text(cell)) };
  } catch {
    return { error: `"${text(cell).slice(0, 40)}" is not JSON` };
  }
}
