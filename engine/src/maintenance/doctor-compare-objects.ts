import { quoteIdent } from "../storage/identifiers";
import { groupOf, ifNotExists, qualified } from "./catalog-names";
import type { TableShape } from "./catalog-snapshot";
import { functionName } from "./computed-owners";
import type { CompareContext } from "./doctor-compare";
import type { Finding, FindingKind } from "./doctor-finding";

const COMPUTED = /^kehu_(rollup|autonumber)__/;

interface Named {
  kind: "constraint" | "index" | "trigger";
  missing: (name: string, def: string) => string[];
  drop: (name: string) => string;
  order: number;
}

/**
 * Constraints, indexes and triggers of one expected table against the live one (absent when the table is
 * missing: then only its triggers are compared, the table's own DDL brings the rest).
 */
export function compareTableObjects(
  ctx: CompareContext,
  expected: TableShape,
  live: TableShape | undefined,
): Finding[] {
  const table = qualified(expected);
  const dropIndex = (name: string) => `DROP INDEX ${quoteIdent(expected.schema)}.${quoteIdent(name)}`;
  const constraint: Named = {
    kind: "constraint",
    missing: (name, def) => [`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(name)} ${def}`],
    drop: (name) => `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(name)}`,
    order: 4,
  };
  const index: Named = { kind: "index", missing: (_, def) => [ifNotExists(def)], drop: dropIndex, order: 5 };
  const trigger: Named = {
    kind: "trigger",
    missing: (_, def) => [def],
    drop: (name) => `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${table}`,
    order: 7,
  };
  const sets: Array<[Named, Map<string, string>, Map<string, string> | undefined]> = [
    [trigger, expected.triggers, live?.triggers ?? new Map()],
  ];
  if (live) sets.push([constraint, expected.constraints, live.constraints], [index, expected.indexes, live.indexes]);
  const out: Finding[] = [];
  for (const [spec, want, have = new Map()] of sets) {
    for (const [name, def] of want) {
      const actual = have.get(name);
      if (actual === def) continue;
      const after = spec.kind === "trigger" ? backfillOf(ctx, name) : [];
      out.push({
        kind: (actual === undefined ? `missing_${spec.kind}` : `${spec.kind}_drift`) as FindingKind,
        group: groupOf(expected),
        object: `${spec.kind} ${name}`,
        expected: def,
        actual,
        severity: "drift",
        repair: {
          sql: [...(actual === undefined ? [] : [spec.drop(name)]), ...spec.missing(name, def)],
          after,
          order: spec.order,
          description: `${actual === undefined ? "create" : "re-create"} the ${spec.kind}`,
        },
      });
    }
    for (const [name, def] of have) if (!want.has(name)) out.push(extraObject(expected, spec, name, def));
  }
  return out;
}

function extraObject(table: TableShape, spec: Named, name: string, def: string): Finding {
  const base = {
    kind: `extra_${spec.kind}` as FindingKind,
    group: groupOf(table),
    object: `${spec.kind} ${name}`,
    actual: def,
  };
  // Someone's extra index or trigger is theirs; but a unique index or a constraint refuses writes Kehu allows,
  // and a leftover computed trigger writes where nothing asks for it.
  const harmful =
    spec.kind === "constraint" || (spec.kind === "index" ? /^CREATE UNIQUE /.test(def) : COMPUTED.test(name));
  if (!harmful) return { ...base, severity: "notice", reason: "not Kehu's; left as it is" };
  return {
    ...base,
    severity: "drift",
    // A foreign constraint goes first: it may stand in the way of changing a column's type back.
    repair: { sql: [spec.drop(name)], order: spec.kind === "constraint" ? 1 : 8, description: `drop the ${spec.kind}` },
  };
}

/** Functions by signature: missing or changed ones are (re)created, leftover computed ones dropped. */
export function compareFunctions(
  ctx: CompareContext,
  expected: Map<string, string>,
  live: Map<string, string>,
): Finding[] {
  const out: Finding[] = [];
  const groupFor = (signature: string) => ctx.owners.get(functionName(signature))?.entity ?? "system";
  for (const [signature, def] of expected) {
    const actual = live.get(signature);
    if (actual === def) continue;
    out.push({
      kind: actual === undefined ? "missing_routine" : "routine_drift",
      group: groupFor(signature),
      object: `routine ${signature}`,
      expected: firstLine(def),
      actual: actual === undefined ? undefined : "a different body",
      severity: "drift",
      repair: {
        sql: [def],
        after: backfillOf(ctx, functionName(signature)),
        order: 6,
        description: `${actual === undefined ? "create" : "re-create"} the routine`,
      },
    });
  }
  for (const [signature, def] of live) {
    if (expected.has(signature)) continue;
    const leftover = COMPUTED.test(functionName(signature));
    out.push({
      kind: "extra_routine",
      group: groupFor(signature),
      object: `routine ${signature}`,
      actual: firstLine(def),
      severity: leftover ? "drift" : "notice",
      ...(leftover
        ? { repair: { sql: [`DROP FUNCTION ${signature}`], order: 9, description: "drop the leftover routine" } }
        : { reason: "not Kehu's; left as it is" }),
    });
  }
  return out;
}

function backfillOf(ctx: CompareContext, name: string): string[] {
  const owner = ctx.owners.get(name);
  return owner ? [owner.backfill] : [];
}

function firstLine(def: string): string {
  return def.split("\n")[0].trim();
}
