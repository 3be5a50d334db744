/**
 * Bad inputs for the API sweep (api/bad-input-sweep.test.ts): junk path parameters, query values and bodies, the
 * bodies shaped after each route's OpenAPI schema so that every documented field gets a wrong value of its own.
 */

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI documents are walked without a full type
type Schema = any;

const TEN_KB = "k".repeat(10_240);

/** Texts tried, in order, for a string that has a pattern: a name, a currency code, a number, a date. */
const PATTERNED = ["customer", "swept", "EUR", "1", "2026-01-02", "Swept"];

/** Path parameter values no route should answer with a 5xx. */
export const JUNK_PATH_VALUES: readonly string[] = [
  "not-a-uuid",
  "00000000-0000-4000-8000-00000000abcd",
  TEN_KB,
  `it's "quoted"`,
  "nul\u0000byte",
  "ünï💥code",
  "-1",
  "1e9",
  "99999999999999999999",
  "..",
];

/** Query values tried on every documented query parameter, beside the ones for `limit` and `before`. */
export const JUNK_QUERY_VALUES: readonly string[] = [
  "-1",
  "abc",
  "1e9",
  "99999999999999999999",
  "garbage",
  "nul\u0000byte",
  `'"); drop table x; --`,
  TEN_KB,
];

/** Query parameters many list routes take, tried on every GET route whether documented or not. */
export const COMMON_QUERY_PARAMS: readonly string[] = ["limit", "before", "status", "entity", "filter", "sort"];

/** Bodies that are not a JSON object at all. */
export const JUNK_BODIES: readonly { label: string; text: string }[] = [
  { label: "malformed JSON", text: '{"a":' },
  { label: "a JSON array", text: "[]" },
  { label: "an array of objects", text: '[{"a":1}]' },
  { label: "null", text: "null" },
  { label: "a number", text: "42" },
  { label: "a string", text: '"text"' },
  { label: "an empty object", text: "{}" },
  { label: "a NUL escape", text: '{"name":"\\u0000"}' },
  { label: "nested 5,000 deep", text: `{"name":${"[".repeat(5000)}${"]".repeat(5000)}}` },
];

/** Content types a JSON route must refuse (415) or read as JSON, never fail on. */
export const JUNK_CONTENT_TYPES: readonly string[] = ["text/plain", "application/x-fuzz", "multipart/form-data"];

/** A resolver of `$ref`s within one OpenAPI document. */
export function schemaResolver(doc: Schema): (schema: Schema) => Schema {
  const resolve = (schema: Schema): Schema => {
    if (!schema?.$ref) return schema;
    const target = (schema.$ref as string)
      .slice(2)
      .split("/")
      .reduce((node: Schema, key: string) => node?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], doc);
    return resolve(target);
  };
  return resolve;
}

/** A value that fits `schema` well enough to get past a route's first checks. */
export function plausibleValue(schema: Schema, resolve: (s: Schema) => Schema, depth = 0): unknown {
  const s = resolve(schema) ?? {};
  if (s.example !== undefined) return s.example;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  const alternative = s.oneOf?.[0] ?? s.anyOf?.[0];
  if (alternative) return plausibleValue(alternative, resolve, depth + 1);
  if (Array.isArray(s.allOf))
    return Object.assign({}, ...s.allOf.map((part: Schema) => plausibleValue(part, resolve, depth + 1)));
  switch (typeOf(s)) {
    case "object": {
      const out: Record<string, unknown> = {};
      if (depth > 3) return out;
      for (const name of s.required ?? []) out[name] = plausibleValue(s.properties?.[name], resolve, depth + 1);
      return out;
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return s.minimum ?? 1;
    case "boolean":
      return true;
    default:
      if (typeof s.pattern === "string")
        return PATTERNED.find((text) => new RegExp(s.pattern, "u").test(text)) ?? "fuzz";
      if (s.format === "date") return "2026-01-02";
      if (s.format === "date-time") return "2026-01-02T03:04:05.000Z";
      if (s.format === "uuid") return "00000000-0000-4000-8000-00000000abcd";
      return "fuzz";
  }
}

/** Values of the wrong kind for a field of `schema`: its type swapped, null, a nested object, long and odd text. */
export function wrongValues(schema: Schema, resolve: (s: Schema) => Schema): unknown[] {
  const swapped: Record<string, unknown> = {
    string: 12345,
    integer: "abc",
    number: "abc",
    boolean: "yes",
    array: { not: "a list" },
    object: "not an object",
  };
  const type = typeOf(resolve(schema) ?? {});
  const numeric = type === "integer" || type === "number";
  return [
    type ? swapped[type] : 12345,
    null,
    { nested: { deeper: [1, { $gt: 1 }] } },
    ...(type === "array" ? [] : [[null, 1, "x"]]),
    TEN_KB,
    `it's "quoted" \u0000 💥`,
    ...(numeric ? [-1, 1e300, 0.5] : []),
  ];
}

/**
 * For a JSON body schema: bodies each with one documented field given a wrong value, the others plausible; `known`
 * gives fields their values when the route needs them (a key that must match the path's).
 */
export function wrongFieldBodies(
  schema: Schema,
  resolve: (s: Schema) => Schema,
  known: Record<string, unknown> = {},
): { label: string; body: unknown }[] {
  const s = resolve(schema);
  if (!s) return [];
  if (typeOf(s) === "array") {
    const item = plausibleValue(s.items, resolve);
    return [
      { label: "[null]", body: [null] },
      { label: "[[]]", body: [[]] },
      { label: "[42]", body: [42] },
      ...wrongFieldBodies(s.items, resolve).map((b) => ({ label: `[${b.label}]`, body: [item, b.body] })),
    ];
  }
  const plausible = plausibleValue(s, resolve);
  if (!isObject(plausible)) return [];
  const properties: Record<string, Schema> = { ...collectProperties(s, resolve) };
  const base = { ...plausible, ...Object.fromEntries(Object.entries(known).filter(([name]) => name in properties)) };
  // The plausible body itself goes first: where it passes, each wrong field below is what gets refused.
  const out: { label: string; body: unknown }[] = [{ label: "plausible", body: base }];
  for (const [name, property] of Object.entries(properties))
    for (const value of wrongValues(property, resolve))
      out.push({ label: `${name}=${JSON.stringify(value)?.slice(0, 40)}`, body: { ...base, [name]: value } });
  return out;
}

function collectProperties(s: Schema, resolve: (s: Schema) => Schema): Record<string, Schema> {
  const parts = [s, ...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])].map(resolve);
  return Object.assign({}, ...parts.map((part: Schema) => part?.properties ?? {}));
}

function typeOf(s: Schema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t: string) => t !== "null");
  if (s.type) return s.type;
  if (s.properties) return "object";
  if (s.items) return "array";
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Values put in place of one part of a valid body by `wrongPartBodies`, by the kind of value it was. */
function wrongParts(part: unknown): unknown[] {
  if (typeof part === "number") return ["text", null, -1, 1e300, 0.5];
  if (typeof part === "string")
    return [12345, null, { nested: { deeper: [1, { $gt: 1 }] } }, TEN_KB, `it's "quoted" \u0000 💥`];
  if (typeof part === "boolean") return ["yes", null, 1];
  return ["text", null, 12345, Array.isArray(part) ? { not: "a list" } : [null]];
}

/**
 * For a body a route accepts: bodies with one part of it (a field, a list item, a nested option, at any depth) given a
 * wrong value or left out, the rest as valid, so that each check behind the first ones gets its bad input too.
 */
export function wrongPartBodies(valid: unknown): { label: string; body: unknown }[] {
  const out: { label: string; body: unknown }[] = [{ label: "valid", body: valid }];
  const visit = (node: unknown, path: (string | number)[]) => {
    if (typeof node !== "object" || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      const at = [...path, Array.isArray(node) ? Number(key) : key];
      const label = at.join(".");
      for (const value of wrongParts(child))
        out.push({ label: `${label}=${JSON.stringify(value).slice(0, 40)}`, body: replaced(valid, at, value) });
      out.push({ label: `${label} left out`, body: replaced(valid, at, undefined) });
      visit(child, at);
    }
  };
  visit(valid, []);
  return out;
}

/** A copy of `value` with the part at `path` replaced (or removed, for undefined). */
function replaced(value: unknown, path: (string | number)[], by: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (by !== undefined) node[last] = by;
  else if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return copy;
}
