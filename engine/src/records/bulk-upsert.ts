import { AppError, type Issue, pointer } from "@kehu/core";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { formulaValuesOf } from "../computed/formula-select";
import { moneyIssues } from "../currency/money-check";
import { columnsOf, SYSTEM_COLUMNS } from "../storage/columns";
import { entityTable, entityTableRef, quoteIdent, SEARCH_COLUMN } from "../storage/identifiers";
import type { SqlFragment } from "../storage/query-fields";
import { groupByColumns } from "./column-groups";
import { pgArrayLiteral, pgText } from "./pg-text";
import { type RecordBody, rowToRecord, withDefaults } from "./record-codec";
import type { RecordChange } from "./record-store";
import { recordIssues } from "./record-validator";
import { referenceIssues } from "./reference-check";
import { timeOrderedId } from "./time-ordered-id";

export const MAX_BULK_RECORDS = 10_000;

export interface BulkOptions {
  /** A unique field: records whose value exists are updated (only the fields they carry), others created. */
  upsertBy?: string;
  /** All-or-nothing (default): any invalid record refuses the whole call. Otherwise invalid ones are skipped and reported. */
  atomic?: boolean;
  /**
   * `knex` is the caller's transaction and the write joins it without a savepoint of its own (two round trips
   * fewer): a statement that fails fails the caller's transaction, which the caller then rolls back whole.
   */
  joinTransaction?: boolean;
}

export interface BulkResult {
  created: number;
  updated: number;
  /** Per input record, its id, or null when it was skipped. */
  ids: Array<string | null>;
  /** Problems of skipped records (non-atomic mode), with paths `/records/<index>/...`. */
  errors: Issue[];
}

/** Permission and audit hooks of a bulk call; without them it writes as Kehu itself. */
export interface BulkSecurity {
  /** System columns set on new records (owner, department). */
  stamp?: { owner_id: string | null; department_id: string | null };
  /** The update scope over the table's columns (qualified by the table): existing records outside are refused. */
  updateScope?: SqlFragment;
  /** Runs in the write's transaction with every record written, before (null when created) and after. */
  audit?: (trx: Knex, changes: Array<{ id: string; before: RecordBody | null; after: RecordBody }>) => Promise<void>;
  /**
   * Audits the records a write creates in the write's own statement (set-wise, nothing read back): an INSERT over
   * the CTE named `source` of the stored rows, those created marked `_inserted`. Updated records still go to `audit`.
   */
  auditCreated?: (source: string) => SqlFragment;
  /** Whether `changed` needs to hear of created or updated records, asked before the write (no: nothing read back). */
  wantsChange?: (knex: Knex, action: "create" | "update") => Promise<boolean>;
  /**
   * Runs in the write's transaction after `audit`, once, with every created or updated record it wants to hear of,
   * as single writes pass them one by one (record-change workflow triggers).
   */
  changed?: (trx: Knex, changes: RecordChange[]) => Promise<void>;
}

const at = (i: number, ...rest: string[]) => pointer("records", i, ...rest);

type Accepted = { index: number; body: Record<string, unknown>; isNew: boolean };

/**
 * A bulk call's records checked before any database work. Without an upsert key every record is new, so they are
 * also validated, given their defaults and encoded for the INSERT here: a caller writing batch after batch (an
 * import) prepares the next batch while the database writes the one before.
 */
export interface PreparedBulk {
  entity: EntityDefinition;
  records: unknown[];
  options: BulkOptions;
  key: FieldDefinition | undefined;
  keyIssue: Map<number, Issue>;
  creates?: { issues: Issue[]; accepted: Accepted[]; groups: Group[] };
}

/**
 * Creates or updates up to 10,000 records in one transaction. Every record is validated first; the write is
 * one `INSERT ... SELECT FROM unnest(...)` per set of columns, so cost grows with columns, not records.
 */
export async function bulkUpsert(
  knex: Knex,
  entity: EntityDefinition,
  records: unknown,
  options: BulkOptions,
  actor: string,
  security: BulkSecurity = {},
): Promise<BulkResult> {
  return writePreparedBulk(knex, prepareBulk(entity, records, options), actor, security);
}

/** The checks and encoding of a bulk call that need no database (see `PreparedBulk`); throws on a malformed call. */
export function prepareBulk(entity: EntityDefinition, records: unknown, options: BulkOptions): PreparedBulk {
  if (!Array.isArray(records))
    throw new AppError("validation_failed", "records must be an array", [
      { path: "/records", message: "must be an array of records" },
    ]);
  if (records.length > MAX_BULK_RECORDS)
    throw new AppError(
      "payload_too_large",
      `At most ${MAX_BULK_RECORDS} records per call (got ${records.length}); split the batch`,
    );
  const key = options.upsertBy === undefined ? undefined : upsertKey(entity, options.upsertBy);
  const keyIssue = key ? duplicateKeyIssues(records, key.name) : new Map<number, Issue>();
  const prepared: PreparedBulk = { entity, records, options, key, keyIssue };
  if (!key) {
    const issues: Issue[] = [];
    const accepted = records.flatMap((body, index) => checked(prepared, body, index, true, issues));
    prepared.creates = { issues, accepted, groups: groupsToWrite(entity, accepted) };
  }
  return prepared;
}

/** A record validated as a create or a patch: accepted (with defaults when new), or its issues added to `issues`. */
function checked(p: PreparedBulk, body: unknown, index: number, isNew: boolean, issues: Issue[]): Accepted[] {
  const found = recordIssues(p.entity, isNew ? "create" : "patch", body, at(index));
  const key = p.key?.name;
  if (key && isNew && found.length === 0 && (body as Record<string, unknown>)[key] == null)
    found.push({ path: at(index, key), message: `is needed to upsert by ${key}` });
  const dup = p.keyIssue.get(index);
  if (dup) found.push(dup);
  if (found.length) {
    issues.push(...found);
    return [];
  }
  const record = body as Record<string, unknown>;
  return [{ index, body: isNew ? withDefaults(p.entity, record) : record, isNew }];
}

/** Writes a prepared bulk call: the rest of the checks that read the database, then the records, in one transaction. */
export async function writePreparedBulk(
  knex: Knex,
  prepared: PreparedBulk,
  actor: string,
  security: BulkSecurity = {},
): Promise<BulkResult> {
  const { entity, records, options, key } = prepared;
  const hears = {
    create: security.changed !== undefined && ((await security.wantsChange?.(knex, "create")) ?? true),
    update:
      key !== undefined && security.changed !== undefined && ((await security.wantsChange?.(knex, "update")) ?? true),
  };
  // Heard updates read their before values under row locks in the write's transaction (lockBefore): not here too.
  const withBefore = security.audit !== undefined && !hears.update;
  const existing = key
    ? await existingRows(knex, entity, key, records, security, withBefore)
    : new Map<string, Existing>();
  const refused: Issue[] = [];
  const issues: Issue[] = [...(prepared.creates?.issues ?? [])];
  const accepted: Accepted[] = prepared.creates?.accepted ?? [];
  if (key)
    records.forEach((body, index) => {
      const found = existing.get(String((body as Record<string, unknown>)?.[key.name]));
      if (found && !found.writable) refused.push({ path: at(index), message: "you may not update this record" });
      else accepted.push(...checked(prepared, body, index, !found, issues));
    });
  const bodies = accepted.map((a) => a.body);
  const pathOf = (i: number, f: string) => at(accepted[i].index, f);
  const refIssues = [
    ...(await referenceIssues(knex, entity, bodies, pathOf)),
    ...(await moneyIssues(knex, entity, bodies, pathOf)),
  ];
  issues.push(...refIssues);
  const atomic = options.atomic ?? true;
  if (refused.length && atomic)
    throw new AppError(
      "forbidden",
      `${refused.length} records are outside what you may update; nothing was written`,
      refused,
    );
  issues.push(...refused);
  if (issues.length && atomic)
    throw new AppError(
      "validation_failed",
      `${new Set(issues.map((i) => i.path.split("/")[2])).size} of ${records.length} records are not valid; nothing was written`,
      issues,
    );
  const badIndexes = new Set(refIssues.map((i) => Number(i.path.split("/")[2])));
  const writable = accepted.filter((a) => !badIndexes.has(a.index));

  const ids: Array<string | null> = records.map(() => null);
  let created = 0;
  let updated = 0;
  // The rows as stored come back from the write itself, unless a rollup of the entity over its own records can
  // change a row after its statement returned it (then they are read again once everything is written). New
  // records are audited by the write's statement itself when the hooks allow it; only the records the audit or a
  // listener needs come back at all.
  const folds = foldsItself(entity);
  const inPlace = security.audit !== undefined && !folds ? security.auditCreated : undefined;
  const audited = (isNew: boolean) => security.audit !== undefined && !(isNew && inPlace);
  const wanted = (isNew: boolean) => audited(isNew) || hears[isNew ? "create" : "update"];
  const stored: Array<Record<string, unknown>> = [];
  const unread: string[] = [];
  const updatedIds = new Set<string>();
  const inTransaction = (write: (trx: Knex) => Promise<void>) =>
    options.joinTransaction ? write(knex) : knex.transaction(write);
  await inTransaction(async (trx) => {
    if (hears.update) await lockBefore(trx, entity, existing);
    const groups =
      prepared.creates && writable.length === accepted.length
        ? prepared.creates.groups
        : groupsToWrite(entity, writable);
    for (const group of groups) {
      const returnRows = !folds && group.items.some((item) => wanted(item.isNew));
      const result = await writeGroup(trx, entity, group, key?.name, actor, security, returnRows, inPlace);
      result.forEach((r, i) => {
        ids[group.items[i].index] = r.id;
        if (r._inserted) created++;
        else {
          updated++;
          updatedIds.add(r.id);
        }
        if (!wanted(r._inserted)) return;
        if (returnRows) stored.push(r);
        else unread.push(r.id);
      });
    }
    if (!stored.length && !unread.length) return;
    const changes = changesOf(entity, [...stored, ...(await readWritten(trx, entity, unread))], existing);
    const toAudit = changes.filter((c) => audited(!updatedIds.has(c.id)));
    if (toAudit.length) await security.audit!(trx, toAudit);
    const heard: RecordChange[] = changes.flatMap(({ id, before, after }) => {
      const action = updatedIds.has(id) ? "update" : "create";
      return hears[action] ? [{ action, id, before, after }] : [];
    });
    if (heard.length) await security.changed!(trx, await withFormulas(trx, entity, heard));
  });
  return { created, updated, ids, errors: issues };
}

function upsertKey(entity: EntityDefinition, name: string) {
  const field = entity.fields.find((f) => f.name === name);
  if (!field) throw new AppError("bad_request", `upsertBy names no field of ${entity.name}: "${name}"`);
  const singleUnique =
    field.unique || (entity.indexes ?? []).some((ix) => ix.unique && ix.fields.length === 1 && ix.fields[0] === name);
  if (!singleUnique) throw new AppError("bad_request", `upsertBy needs a unique field; "${name}" is not unique`);
  return field;
}

function duplicateKeyIssues(records: unknown[], key: string): Map<number, Issue> {
  const first = new Map<string, number>();
  const out = new Map<number, Issue>();
  records.forEach((r, i) => {
    const v = (r as Record<string, unknown>)?.[key];
    if (v === null || v === undefined) return;
    const k = String(v);
    if (first.has(k))
      out.set(i, { path: at(i, key), message: `repeats ${key} ${JSON.stringify(v)} of /records/${first.get(k)}` });
    else first.set(k, i);
  });
  return out;
}

interface Existing {
  id: string;
  writable: boolean;
  before: RecordBody | null;
}

/** The live records whose key a call names: whether the caller may update each, and (when audited) its values. */
async function existingRows(
  knex: Knex,
  entity: EntityDefinition,
  key: { name: string; type: string },
  records: unknown[],
  security: BulkSecurity,
  withBefore: boolean,
): Promise<Map<string, Existing>> {
  const values = [
    ...new Set(
      records
        .map((r) => (r as Record<string, unknown>)?.[key.name])
        .filter((v) => typeof v === "string" || typeof v === "number"),
    ),
  ];
  if (!values.length) return new Map();
  const sqlType = columnsOf(key as never)[0].sqlType;
  const col = quoteIdent(key.name);
  const table = entityTable(entity.name);
  const scope = security.updateScope ?? { sql: "TRUE", bindings: [] };
  const { rows } = await knex.raw(
    `SELECT ${col}::text AS k, ${table}.id AS __id, ${scope.sql} AS __writable${withBefore ? `, ${table}.*` : ""} FROM ${table} WHERE ${col} = ANY(?::${sqlType}[]) AND deleted_at IS NULL`,
    [...scope.bindings, values.map(String)],
  );
  return new Map(
    rows.map((r: Record<string, unknown>) => [
      r.k as string,
      { id: r.__id as string, writable: r.__writable === true, before: withBefore ? rowToRecord(entity, r) : null },
    ]),
  );
}

/**
 * Reads the records an update will change again, under row locks in the write's transaction: a listener's "before"
 * is then the value this write replaces, not one a concurrent write changed since the first read (a trigger on
 * "stage became won" would otherwise start twice).
 */
async function lockBefore(trx: Knex, entity: EntityDefinition, existing: Map<string, Existing>): Promise<void> {
  const ids = [...existing.values()].map((e) => e.id);
  if (!ids.length) return;
  const rows = await trx(entityTableRef(entity.name)).whereRaw("id = ANY(?::uuid[])", [ids]).orderBy("id").forUpdate();
  const now = new Map(rows.map((r: Record<string, unknown>) => [r.id as string, rowToRecord(entity, r)]));
  for (const e of existing.values()) e.before = now.get(e.id) ?? null;
}

function foldsItself(entity: EntityDefinition): boolean {
  return entity.fields.some((f) => f.type === "rollup" && f.child === entity.name);
}

async function readWritten(
  trx: Knex,
  entity: EntityDefinition,
  ids: string[],
): Promise<Array<Record<string, unknown>>> {
  if (!ids.length) return [];
  return trx(entityTableRef(entity.name)).whereRaw("id = ANY(?::uuid[])", [ids]);
}

type Written = { id: string; before: RecordBody | null; after: RecordBody };

/** Each written row as a record, with its values before the write (null when created, or not read). */
function changesOf(
  entity: EntityDefinition,
  rows: Array<Record<string, unknown>>,
  existing: Map<string, Existing>,
): Written[] {
  const beforeById = new Map(
    [...existing.values()].flatMap((e) => (e.before ? [[e.before.id as string, e.before]] : [])),
  );
  return rows.map((row) => {
    delete row[SEARCH_COLUMN];
    const id = row.id as string;
    return { id, before: beforeById.get(id) ?? null, after: rowToRecord(entity, row) };
  });
}

/** The changes with their formula values, read in one query, as a single write's listener sees them. */
async function withFormulas(trx: Knex, entity: EntityDefinition, changes: RecordChange[]): Promise<RecordChange[]> {
  const values = await formulaValuesOf(
    trx,
    entity,
    changes.map((c) => c.id),
  );
  if (!values) return changes;
  return changes.map((c) => ({ ...c, after: { ...c.after, ...values.get(c.id) } }));
}

/** The table's stored columns but the search text: what an audited record is read from. */
function storedColumns(entity: EntityDefinition): string[] {
  const names = [...SYSTEM_COLUMNS, ...entity.fields.flatMap((f) => columnsOf(f))].map((c) => c.name);
  return [...new Set(names)].filter((n) => n !== "id").map(quoteIdent);
}

/** The CTE of a write's stored rows that an in-place audit reads. */
const WRITTEN = "kehu_written";

interface Group {
  columns: Array<{ name: string; sqlType: string }>;
  items: Array<{ index: number; row: Record<string, unknown>; isNew: boolean }>;
  /** The ids new records get, in item order. */
  ids: string[];
  /** The INSERT's parameters: the ids, then one text[] literal per column (cheaper than the driver serialising arrays). */
  arrays: string[];
}

function groupsToWrite(entity: EntityDefinition, accepted: Accepted[]): Group[] {
  return groupByColumns(entity, accepted, (a) => a.body).map(({ columns, members }) => {
    const items = members.map(({ item, row }) => ({ index: item.index, row, isNew: item.isNew }));
    const ids = items.map(() => timeOrderedId());
    return {
      columns,
      items,
      ids,
      arrays: [
        pgArrayLiteral(ids),
        ...columns.map((c) => pgArrayLiteral(items.map((item) => pgText(item.row[c.name])))),
      ],
    };
  });
}

async function writeGroup(
  trx: Knex,
  entity: EntityDefinition,
  group: Group,
  key: string | undefined,
  actor: string,
  security: BulkSecurity,
  returnRows: boolean,
  auditCreated?: (source: string) => SqlFragment,
): Promise<Array<{ id: string; _inserted: boolean } & Record<string, unknown>>> {
  const table = entityTable(entity.name);
  const arrays = group.arrays;
  const selects = ["u.c0::uuid", ...group.columns.map((c, i) => `u.c${i + 1}::${c.sqlType}`)];
  const aliases = arrays.map((_, i) => `c${i}`).join(", ");
  const stamp = security.stamp ? ["owner_id", "department_id"] : [];
  const cols = ["id", ...group.columns.map((c) => c.name), "created_by", ...stamp].map(quoteIdent).join(", ");
  const stampSql = stamp.map(() => ", ?::uuid").join("");
  // Text order of the placeholders: the actor (and stamp) in the select list, one text[] per column, the scope.
  let sql = `INSERT INTO ${table} (${cols}) SELECT ${selects.join(", ")}, ?::text${stampSql} FROM unnest(${arrays.map(() => "?::text[]").join(", ")}) AS u(${aliases})`;
  const scope = security.updateScope;
  if (key) {
    const updates = group.columns
      .filter((c) => c.name !== key)
      .map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`);
    const set = [...updates, `version = ${table}.version + 1`, "updated_at = now()"].join(", ");
    sql += ` ON CONFLICT (${quoteIdent(key)}) WHERE deleted_at IS NULL DO UPDATE SET ${set}`;
    // A record created out of scope between the check and this write is still never updated.
    if (scope) sql += ` WHERE ${scope.sql}`;
  }
  const stampValues = security.stamp ? [security.stamp.owner_id, security.stamp.department_id] : [];
  const bindings = [actor, ...stampValues, ...arrays, ...(key && scope ? scope.bindings : [])];
  // Without a key every row is inserted or the statement fails: unless the rows are wanted, nothing comes back, and
  // the records have the ids the group gave them.
  const returnsNothing = !key && !returnRows;
  const stored = returnRows ? `, ${storedColumns(entity).join(", ")}` : "";
  // Underscored names: no field can have them (a field may be called "inserted").
  const returned = returnsNothing ? "count(*) AS _n" : `id, _inserted${key ? ", _k" : ""}${stored}`;
  const returning = ` RETURNING id, (xmax = 0) AS _inserted${key ? `, ${quoteIdent(key)}::text AS _k` : ""}`;
  if (auditCreated) {
    const audit = auditCreated(WRITTEN);
    sql = `WITH ${WRITTEN} AS (${sql}${returning}, ${storedColumns(entity).join(", ")}), kehu_audited AS (${audit.sql}) SELECT ${returned} FROM ${WRITTEN}`;
    bindings.push(...audit.bindings);
  } else if (!returnsNothing) sql += returning + stored;
  const { rows } = await trx.raw(sql, bindings as unknown as Knex.RawBinding[]);
  if (returnsNothing) return group.ids.map((id) => ({ id, _inserted: true }));
  if (!key) return rows;
  const byKey = new Map<string, { id: string; _inserted: boolean }>(rows.map((r: { _k: string }) => [r._k, r]));
  return group.items.map((item) => {
    const hit = byKey.get(String(item.row[key]));
    if (!hit)
      throw new AppError("forbidden", "A record of this batch is outside what you may update; nothing was written");
    return hit;
  });
}
