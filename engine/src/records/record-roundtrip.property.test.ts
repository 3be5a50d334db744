import {
  COMPUTED_FIELD_TYPES,
  type EntityDefinition,
  type FieldDefinition,
  type FieldType,
  STORED_FIELD_TYPES,
} from "@kehu/schema";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../testing/define-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(() => engine.close());

// Every type a client writes, but reference (it needs target records the generator does not make).
const computed: ReadonlySet<string> = new Set(COMPUTED_FIELD_TYPES);
const TYPES: FieldType[] = STORED_FIELD_TYPES.filter((t) => t !== "reference" && !computed.has(t));

const fieldArb = (index: number): fc.Arbitrary<FieldDefinition> =>
  fc
    .record({
      type: fc.constantFrom(...TYPES),
      required: fc.boolean(),
      max: fc.integer({ min: 1, max: 40 }),
      scale: fc.integer({ min: 0, max: 4 }),
    })
    .map(({ type, required, max, scale }) => {
      const field: FieldDefinition = { name: `f${index}_${type}`, type, required };
      if (type === "text") field.max = max;
      if (type === "decimal") Object.assign(field, { precision: 12, scale });
      if (type === "enum" || type === "multienum") field.values = ["甲", "b", "c c", "d-1"];
      return field;
    });

let entityCounter = 0;
const entityArb = fc
  .integer({ min: 1, max: 8 })
  .chain((n) =>
    fc
      .tuple(...Array.from({ length: n }, (_, i) => fieldArb(i)))
      .map((fields): EntityDefinition => ({ name: `prop_${++entityCounter}`, fields })),
  );

const textArb = (max = 60) =>
  fc.string({ unit: "grapheme", maxLength: max }).filter((s) => !s.includes("\u0000") && [...s].length <= max);
const decimalArb = (precision: number, scale: number) =>
  fc
    .tuple(
      fc.boolean(),
      fc.bigInt({ min: 0n, max: 10n ** BigInt(precision - scale) - 1n }),
      fc.integer({ min: 0, max: scale }),
      fc.nat(),
    )
    .map(([neg, int, digits, frac]) => {
      const fraction = digits ? `.${String(frac).padStart(digits, "0").slice(-digits)}` : "";
      const text = `${int}${fraction}`;
      return neg && /[1-9]/.test(text) ? `-${text}` : text;
    });
const isoDate = fc.date({
  min: new Date("1900-01-01T00:00:00Z"),
  max: new Date("2100-12-31T23:59:59Z"),
  noInvalidDate: true,
});
const jsonArb = fc
  .jsonValue()
  .map((v) => JSON.parse(JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? 0 : x))))
  .filter((v) => !JSON.stringify(v).includes("\\u0000") && JSON.stringify(v).length < 2000);

function valueArb(field: FieldDefinition): fc.Arbitrary<unknown> {
  switch (field.type) {
    case "text":
      return textArb(field.max).filter((s) => !field.required || s.length >= 0);
    case "longtext":
      return textArb(200);
    case "integer":
      return fc.integer({ min: -(2 ** 40), max: 2 ** 40 });
    case "decimal":
      return decimalArb(field.precision ?? 18, field.scale ?? 6);
    case "money":
      return fc.record({ amount: decimalArb(18, 2), currency: fc.constantFrom("CNY", "USD", "EUR") });
    case "boolean":
      return fc.boolean();
    case "date":
      return isoDate.map((d) => d.toISOString().slice(0, 10));
    case "datetime":
      return isoDate.map((d) => d.toISOString());
    case "enum":
      return fc.constantFrom("甲", "b", "c c", "d-1");
    case "multienum":
      return fc.subarray(["甲", "b", "c c", "d-1"]);
    case "email":
      return fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.stringMatching(/^[a-z]{1,8}$/))
        .map(([u, d]) => `${u}@${d}.cn`);
    case "phone":
      return fc.stringMatching(/^\+86 1[0-9]{2} [0-9]{4} [0-9]{4}$/);
    case "url":
      return fc.webUrl({ validSchemes: ["https"] });
    default:
      return jsonArb;
  }
}

const recordArb = (entity: EntityDefinition) =>
  fc.record(
    Object.fromEntries(
      entity.fields.map((f) => [f.name, f.required ? valueArb(f) : fc.option(valueArb(f), { nil: null })]),
    ),
  );

/** Ways to break a valid record, each needing the field types it names. */
const breakers: Array<{
  name: string;
  applies: (f: FieldDefinition) => boolean;
  apply: (r: Record<string, unknown>, f: FieldDefinition) => void;
}> = [
  {
    name: "wrong type",
    applies: () => true,
    apply: (r, f) =>
      (r[f.name] = f.type === "text" || f.type === "longtext" || f.type === "json" ? undefined : { wrong: true }),
  },
  {
    name: "NUL in text",
    applies: (f) => f.type === "text" || f.type === "longtext",
    apply: (r, f) => (r[f.name] = "a\u0000b"),
  },
  { name: "NUL inside json", applies: (f) => f.type === "json", apply: (r, f) => (r[f.name] = { s: "x\u0000y" }) },
  {
    name: "too many decimals",
    applies: (f) => f.type === "decimal",
    apply: (r, f) => (r[f.name] = `1.${"1".repeat((f.scale ?? 6) + 1)}`),
  },
  { name: "unknown enum value", applies: (f) => f.type === "enum", apply: (r, f) => (r[f.name] = "zzz") },
  {
    name: "too long",
    applies: (f) => f.type === "text",
    apply: (r, f) => (r[f.name] = "长".repeat((f.max ?? 10) + 1)),
  },
  { name: "bad date", applies: (f) => f.type === "date", apply: (r, f) => (r[f.name] = "2023-02-30") },
  { name: "unsafe integer", applies: (f) => f.type === "integer", apply: (r, f) => (r[f.name] = 2 ** 60) },
  { name: "system field", applies: () => true, apply: (r) => (r.version = 7) },
  { name: "unknown field", applies: () => true, apply: (r) => (r.no_such_field = 1) },
];

async function rowCount(entity: string): Promise<number> {
  const { rows } = await engine.ctx.db.knex.raw(`SELECT count(*)::int AS n FROM data."${entity}"`);
  return rows[0].n;
}

describe("records, property-based", () => {
  it("round-trip valid records exactly and refuse invalid ones with 4xx problem+json, writing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        entityArb.chain((entity) =>
          fc.tuple(
            fc.constant(entity),
            fc.array(recordArb(entity), { minLength: 1, maxLength: 4 }),
            fc.nat(),
            fc.nat(),
          ),
        ),
        async ([entity, records, breakerSeed, fieldSeed]) => {
          await defineEntities(engine.ctx, [entity]);
          for (const record of records) {
            const body = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
            const created = await engine.http(`/api/data/${entity.name}`, { method: "POST", body });
            expect(created.status, JSON.stringify(created.body)).toBe(201);
            const got = await engine.http(`/api/data/${entity.name}/${created.body.id}`);
            for (const field of entity.fields) expect(got.body[field.name]).toEqual(body[field.name] ?? null);
          }
          const count = await rowCount(entity.name);
          const field = entity.fields[fieldSeed % entity.fields.length];
          const usable = breakers.filter((b) => b.applies(field));
          const breaker = usable[breakerSeed % usable.length];
          const broken = { ...records[0] };
          breaker.apply(broken, field);
          if (breaker.name === "wrong type" && broken[field.name] === undefined && !field.required) return;
          const bad = await engine.http(`/api/data/${entity.name}`, { method: "POST", body: broken });
          expect(bad.status, `${breaker.name} on ${field.name}: ${JSON.stringify(bad.body)}`).toBeGreaterThanOrEqual(
            400,
          );
          expect(bad.status).toBeLessThan(500);
          expect(bad.headers.get("content-type")).toBe("application/problem+json");
          const bulk = await engine.http(`/api/data/${entity.name}/bulk`, {
            method: "POST",
            body: { records: [records[0], broken] },
          });
          expect(bulk.status).toBeGreaterThanOrEqual(400);
          expect(bulk.status).toBeLessThan(500);
          expect(await rowCount(entity.name)).toBe(count);
        },
      ),
      { numRuns: Number(process.env.KEHU_PROPERTY_RUNS ?? 25) },
    );
  }, 120_000);
});
