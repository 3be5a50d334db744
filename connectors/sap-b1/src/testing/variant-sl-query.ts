/**
 * The slice of OData querying an independent test Service Layer needs, written from the public SL facts
 * (/work/shared/sap-b1-service-layer.md §3), not from our simulator: `$filter` with eq/ne/gt/ge/lt/le, and/or and
 * parentheses on string, number, date and time fields; `$orderby`; `$select`. Date fields ignore the time part and
 * time fields compare only HH:MM, as SL documents.
 */
export type Row = Record<string, unknown>;
type Predicate = (row: Row) => boolean;

/** `a=b&c=d` with each name and value percent-decoded (SL options keep `$`, spaces arrive as %20). */
export function parseQuery(search: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const pair of search.replace(/^\?/, "").split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const name = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
    options.set(name, at < 0 ? "" : decodeURIComponent(pair.slice(at + 1)));
  }
  return options;
}

/** Compares two field values the way SL does for that field: dates by day, times by minute, else by value. */
export function compareField(field: string, a: unknown, b: unknown): number {
  const [x, y] = /Date$/.test(field) ? [dayOf(a), dayOf(b)] : /Time$/.test(field) ? [minuteOf(a), minuteOf(b)] : [a, b];
  if (x === y) return 0;
  if (x === null || x === undefined) return -1;
  if (y === null || y === undefined) return 1;
  return (x as number | string) < (y as number | string) ? -1 : 1;
}

function dayOf(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : value.slice(0, 10);
}

function minuteOf(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const colon = /^(\d{1,2}):(\d{2})/.exec(value);
  if (colon) return `${colon[1].padStart(2, "0")}:${colon[2]}`;
  return /^\d{4}/.test(value) ? `${value.slice(0, 2)}:${value.slice(2, 4)}` : value;
}

/** Parses a `$filter` expression into a predicate; throws on anything outside the supported slice. */
export function parseFilter(text: string): Predicate {
  const tokens = text.match(/'(?:[^']|'')*'|\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = () => tokens[at++];
  const orExpr = (): Predicate => {
    let left = andExpr();
    while (peek() === "or") {
      take();
      const [l, r] = [left, andExpr()];
      left = (row) => l(row) || r(row);
    }
    return left;
  };
  const andExpr = (): Predicate => {
    let left = atom();
    while (peek() === "and") {
      take();
      const [l, r] = [left, atom()];
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  const atom = (): Predicate => {
    if (peek() === "(") {
      take();
      const inner = orExpr();
      if (take() !== ")") throw new Error(`missing ) in $filter "${text}"`);
      return inner;
    }
    const field = take();
    const op = take();
    const literal = literalValue(take());
    const test = comparisons[op];
    if (!field || !test) throw new Error(`unsupported $filter "${text}"`);
    return (row) => test(compareField(field, row[field], literal));
  };
  const predicate = orExpr();
  if (at !== tokens.length) throw new Error(`unsupported $filter "${text}"`);
  return predicate;
}

const comparisons: Record<string, (order: number) => boolean> = {
  eq: (o) => o === 0,
  ne: (o) => o !== 0,
  gt: (o) => o > 0,
  ge: (o) => o >= 0,
  lt: (o) => o < 0,
  le: (o) => o <= 0,
};

function literalValue(token: string | undefined): unknown {
  if (token === undefined) throw new Error("a $filter comparison without a value");
  if (token.startsWith("'")) return token.slice(1, -1).replaceAll("''", "'");
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (token === "null") return null;
  throw new Error(`unsupported $filter literal ${token}`);
}

/** Sorts by `A asc,B desc,…`; without `$orderby` by the key. */
export function orderRows(rows: Row[], orderby: string | undefined, key: string): Row[] {
  const terms = (orderby ?? key).split(",").map((term) => {
    const [field, direction] = term.trim().split(/\s+/);
    return { field, sign: direction === "desc" ? -1 : 1 };
  });
  return [...rows].sort((a, b) => {
    for (const { field, sign } of terms) {
      // Orders by the stored value (seconds included); only filters are minute-granular.
      const order = compareStored(a[field], b[field]);
      if (order) return order * sign;
    }
    return 0;
  });
}

function compareStored(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as string) < (b as string) ? -1 : 1;
}

/** Keeps the `$select`ed properties (all when absent). */
export function selectFields(row: Row, select: string | undefined): Row {
  if (!select) return { ...row };
  const out: Row = {};
  for (const field of select.split(",").map((name) => name.trim())) if (field in row) out[field] = row[field];
  return out;
}
