import { type Issue, pointer } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { formulaValuesOf } from "../computed/formula-select";
import { moneyIssues } from "../currency/money-check";
import { entityTable, quoteIdent, SEARCH_COLUMN } from "../storage/identifiers";
import type { BulkSecurity } from "./bulk-upsert";
import { groupByColumns } from "./column-groups";
import { pgArrayLiteral, pgText } from "./pg-text";
import { type RecordBody, rowToRecord } from "./record-codec";
import { invalidRecordMessage, recordIssues } from "./record-validator";
import { referenceIssues } from "./reference-check";

/** One record to patch: its id, the version the caller read (under a row lock) and its values then. */
export interface PatchById {
  id: string;
  patch: Record<string, unknown>;
  version: number;
  before: RecordBody;
}

export type PatchOutcome = { ok: true; record: RecordBody } | { ok: false; message: string; issues: Issue[] };

/**
 * Patches many records by id as single updates would (validation, references, money, update scope, version bump,
 * audit rows, record-change listeners), with one `UPDATE ... FROM unnest(...)` per set of patched columns instead of
 * a statement (and a savepoint) per record. Runs in the caller's transaction, whose caller holds the rows locked: a
 * record refused by a check is reported on its own and the others are written; a statement failing as a whole (a
 * database constraint) throws, and the caller's transaction is lost.
 */
export async function bulkPatchById(
  trx: Knex,
  entity: EntityDefinition,
  items: readonly PatchById[],
  security: BulkSecurity,
): Promise<PatchOutcome[]> {
  const outcomes: Array<PatchOutcome | undefined> = items.map(() => undefined);
  const issuesOf = new Map<number, Issue[]>();
  const add = (i: number, issues: Issue[]) => issuesOf.set(i, [...(issuesOf.get(i) ?? []), ...issues]);
  // One UPDATE applies one patch per row: a record named again would be reported written when it was not.
  const named = new Set<string>();
  items.forEach((item, i) => {
    if (named.has(item.id)) add(i, [{ path: "/", message: "is patched twice in one call; patch it again after" }]);
    named.add(item.id);
    const found = recordIssues(entity, "patch", item.patch);
    if (found.length) add(i, found);
  });
  const valid = items.flatMap((item, i) => (issuesOf.has(i) ? [] : [{ item, i }]));
  const bodies = valid.map((v) => v.item.patch);
  const pathOf = (n: number, field: string) => `${pointer("records", valid[n].i)}${pointer(field)}`;
  for (const issue of [
    ...(await referenceIssues(trx, entity, bodies, pathOf)),
    ...(await moneyIssues(trx, entity, bodies, pathOf)),
  ]) {
    const [, , n, ...rest] = issue.path.split("/");
    add(Number(n), [{ ...issue, path: `/${rest.join("/")}` }]);
  }
  for (const [i, issues] of issuesOf)
    outcomes[i] = {
      ok: false,
      message: invalidRecordMessage(entity.name, issues),
      issues,
    };

  const writable = valid.filter((v) => !issuesOf.has(v.i));
  const audit = security.audit;
  const listen = security.changed && ((await security.wantsChange?.(trx, "update")) ?? true);
  // Formula values on both sides, read as single updates read them: an audit row or a trigger sees a formula change
  // when, and only when, its inputs changed.
  const told = audit || listen;
  const formulasBefore = told
    ? await formulaValuesOf(
        trx,
        entity,
        writable.map((w) => w.item.id),
      )
    : undefined;
  const written: Array<{ i: number; row: Record<string, unknown> }> = [];
  for (const group of patchGroups(entity, writable)) {
    if (!group.columns.length) {
      for (const { i } of group.items) outcomes[i] = { ok: true, record: items[i].before };
      continue;
    }
    const rows = await updateGroup(trx, entity, group, security);
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    for (const { i, id } of group.items) {
      const row = byId.get(id);
      if (row) written.push({ i, row });
      else
        outcomes[i] = {
          ok: false,
          message: `No ${entity.name} record with id ${id} that you may update at version ${items[i].version}`,
          issues: [],
        };
    }
  }
  const formulasAfter =
    told && formulasBefore && written.length
      ? await formulaValuesOf(
          trx,
          entity,
          written.map(({ i }) => items[i].id),
        )
      : undefined;
  const changes = written.map(({ i, row }) => {
    delete row[SEARCH_COLUMN];
    const id = items[i].id;
    const after = { ...rowToRecord(entity, row), ...formulasAfter?.get(id) };
    outcomes[i] = { ok: true, record: after };
    return { id, before: { ...items[i].before, ...formulasBefore?.get(id) }, after };
  });
  if (changes.length && audit) await audit(trx, changes);
  if (changes.length && listen)
    await security.changed?.(
      trx,
      changes.map((c) => ({ action: "update" as const, ...c })),
    );
  return outcomes as PatchOutcome[];
}

interface PatchGroup {
  columns: Array<{ name: string; sqlType: string }>;
  items: Array<{ i: number; id: string; version: number; row: Record<string, unknown> }>;
}

function patchGroups(entity: EntityDefinition, writable: ReadonlyArray<{ item: PatchById; i: number }>): PatchGroup[] {
  return groupByColumns(entity, writable, (w) => w.item.patch).map(({ columns, members }) => ({
    columns,
    items: members.map(({ item: { item, i }, row }) => ({ i, id: item.id, version: item.version, row })),
  }));
}

/** One UPDATE of a group's records, each at the version its caller read, inside the update scope; the rows written. */
async function updateGroup(
  trx: Knex,
  entity: EntityDefinition,
  group: PatchGroup,
  security: BulkSecurity,
): Promise<Array<Record<string, unknown>>> {
  const table = entityTable(entity.name);
  const arrays = [
    pgArrayLiteral(group.items.map((x) => x.id)),
    pgArrayLiteral(group.items.map((x) => String(x.version))),
    ...group.columns.map((c) => pgArrayLiteral(group.items.map((x) => pgText(x.row[c.name])))),
  ];
  const aliases = arrays.map((_, n) => `c${n}`).join(", ");
  const set = [
    ...group.columns.map((c, n) => `${quoteIdent(c.name)} = u.c${n + 2}::${c.sqlType}`),
    `version = ${table}.version + 1`,
    "updated_at = now()",
  ].join(", ");
  // The scope predicate names the table itself, so the target keeps its name (no alias).
  const scope = security.updateScope;
  const sql = `UPDATE ${table} SET ${set}
     FROM unnest(${arrays.map(() => "?::text[]").join(", ")}) AS u(${aliases})
    WHERE ${table}.id = u.c0::uuid AND ${table}.version = u.c1::integer AND ${table}.deleted_at IS NULL
      ${scope ? `AND (${scope.sql})` : ""}
    RETURNING ${table}.*`;
  const { rows } = await trx.raw(sql, [...arrays, ...(scope?.bindings ?? [])] as unknown as Knex.RawBinding[]);
  return rows;
}
