import type { FieldDefinition } from "@kehu/schema";
import { cmp, dec } from "../computed/exact-decimal";

const isNum = (v: unknown) => (typeof v === "number" || typeof v === "string") && /^-?\d+(\.\d+)?$/.test(String(v));

function sameNumber(a: unknown, b: unknown): boolean {
  return isNum(a) && isNum(b) ? cmp(dec(String(a)), dec(String(b))) === 0 : a === b;
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x,
  );
}

/**
 * Whether two values of a field are the same value, whatever their spelling: "12.50" and 12.5, two ISO forms of
 * one instant, money by amount and currency. Used to tell what changed on each side since the last sync.
 */
export function sameValue(field: FieldDefinition | undefined, a: unknown, b: unknown): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y;
  switch (field?.type) {
    case "integer":
    case "decimal":
      return sameNumber(x, y);
    case "money": {
      const m = x as { amount: unknown; currency: unknown };
      const n = y as { amount: unknown; currency: unknown };
      return m.currency === n.currency && sameNumber(m.amount, n.amount);
    }
    case "datetime":
      return Date.parse(String(x)) === Date.parse(String(y));
    case "multienum":
      return canonical([...(x as unknown[])].sort()) === canonical([...(y as unknown[])].sort());
    default:
      return canonical(x) === canonical(y);
  }
}
