import { AppError, isUuid } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { formulaSelects, withFormulaValues } from "../computed/formula-select";
import { assertValidMoney } from "../currency/money-check";
import { entityTableRef, SEARCH_COLUMN } from "../storage/identifiers";
import type { SqlFragment } from "../storage/query-fields";
import { type RecordBody, recordToRow, rowToRecord, withDefaults } from "./record-codec";
import { assertValidRecord } from "./record-validator";
import { assertReferencesExist } from "./reference-check";
import type { Referrer } from "./referrers";

/** A change as the audit trail records it: the record before (null when new) and after. */
export interface RecordChange {
  action: "create" | "update" | "delete" | "restore";
  id: string;
  before: RecordBody | null;
  after: RecordBody;
  /** The entity of the changed record when it is not the store's own (a referrer changed by `onDelete`). */
  entity?: EntityDefinition;
}

/** Optional permission and audit hooks; a store without them behaves as Kehu itself (no scope, no audit). */
export interface RecordHooks {
  /** The record scope of an action as a `where` callback; undefined means every record. */
  scope?: (action: "read" | "update" | "delete") => ((qb: Knex.QueryBuilder) => void) | undefined;
  /** System columns set on new records (owner, department). */
  stamp?: Record<string, unknown>;
  /** Runs in the write's transaction, after the write. */
  audit?: (trx: Knex, change: RecordChange) => Promise<void>;
  /**
   * Audits a created record inside its INSERT, as `audit` would (an INSERT over the CTE named `source` of the stored
   * row, marked `_inserted`; see createdAuditSql): a create nothing else listens to then needs no transaction.
   */
  auditCreated?: (source: string) => SqlFragment;
  /** Runs in the write's transaction after a create or update (record-change workflow triggers). */
  changed?: (trx: Knex, change: RecordChange) => Promise<void>;
  /** Whether `changed` needs to hear of a create or update, asked before a write outside a transaction. */
  wantsChange?: (knex: Knex, action: "create" | "update") => Promise<boolean>;
}

function stripSearch(row: Record<string, unknown>): Record<string, unknown> {
  delete row[SEARCH_COLUMN];
  return row;
}

function notFound(entity: EntityDefinition, id: string): AppError {
  return new AppError("not_found", `No ${entity.name} record with id ${id}`);
}

/**
 * Single-record writes and reads of one entity's table. Every write validates the whole body first
 * (all problems at once), then writes in one statement, or in one transaction with its audit row, so a
 * refused write changes nothing.
 */
export class RecordStore {
  constructor(
    private readonly knex: Knex,
    private readonly entity: EntityDefinition,
    private readonly referrers: readonly Referrer[] = [],
    private readonly hooks: RecordHooks = {},
  ) {}

  private get table() {
    return this.knex(entityTableRef(this.entity.name));
  }

  private scoped(q: Knex.QueryBuilder, action: "read" | "update" | "delete"): Knex.QueryBuilder {
    const where = this.hooks.scope?.(action);
    return where ? q.where(where) : q;
  }

  /**
   * Runs a write in a transaction when it is audited or a listener hears of it (the change, its audit row and the
   * workflow starts it queues commit together); otherwise as one statement. `heard` is the action listeners hear
   * of, null for deletes and restores.
   */
  private async audited<T>(
    heard: "create" | "update" | null,
    write: (store: RecordStore, trx: Knex) => Promise<T>,
    auditedInOneStatement?: () => Promise<T>,
  ): Promise<T> {
    if (this.knex.isTransaction) return write(this, this.knex);
    const quiet = !heard || (await this.hooks.wantsChange?.(this.knex, heard)) === false;
    const hooks = this.hooks.changed && quiet ? { ...this.hooks, changed: undefined } : this.hooks;
    if (!hooks.audit && !hooks.changed)
      return write(new RecordStore(this.knex, this.entity, this.referrers, hooks), this.knex);
    if (!hooks.changed && auditedInOneStatement) return auditedInOneStatement();
    return this.knex.transaction((trx) => write(new RecordStore(trx, this.entity, this.referrers, hooks), trx));
  }

  /** The record as it is before a write, locked: for the audit row and for listeners (a trigger on "became won"). */
  private async before(id: string): Promise<RecordBody | null> {
    if (!this.hooks.audit && !this.hooks.changed) return null;
    // With its formula values, as `after` has them: the audit row lists a formula only when its value changed.
    const row = await this.table
      .where({ id })
      .forUpdate()
      .first("*", ...formulaSelects(this.knex, this.entity));
    return row ? rowToRecord(this.entity, stripSearch(row)) : null;
  }

  async create(body: unknown, actor: string): Promise<RecordBody> {
    const record = withDefaults(this.entity, assertValidRecord(this.entity, "create", body));
    await assertReferencesExist(this.knex, this.entity, record);
    await assertValidMoney(this.knex, this.entity, record);
    const values = { ...recordToRow(this.entity, record), ...this.hooks.stamp, created_by: actor };
    const auditCreated = this.hooks.auditCreated;
    // In-statement auditing records stored columns only; a formula's value comes from a read after the write.
    const inOneStatement =
      auditCreated && !this.entity.fields.some((f) => f.type === "formula")
        ? () => this.insertAudited(values, auditCreated)
        : undefined;
    return this.audited(
      "create",
      async (store, trx) => {
        const [row] = await store.table.insert(values).returning("*");
        const after = rowToRecord(this.entity, stripSearch(await withFormulaValues(trx, this.entity, row)));
        await store.hooks.audit?.(trx, { action: "create", id: row.id, before: null, after });
        await store.hooks.changed?.(trx, { action: "create", id: row.id, before: null, after });
        return after;
      },
      inOneStatement,
    );
  }

  /** One INSERT that also writes the new record's audit row: one round trip, no transaction to open and commit. */
  private async insertAudited(
    values: Record<string, unknown>,
    auditCreated: (source: string) => SqlFragment,
  ): Promise<RecordBody> {
    const insert = this.table.insert(values).returning("*").toSQL();
    const audit = auditCreated("kehu_written");
    const { rows } = await this.knex.raw(
      `WITH kehu_inserted AS (${insert.sql}), kehu_written AS (SELECT *, TRUE AS _inserted FROM kehu_inserted),
         kehu_audited AS (${audit.sql}) SELECT * FROM kehu_inserted`,
      [...insert.bindings, ...audit.bindings] as Knex.RawBinding[],
    );
    return rowToRecord(this.entity, stripSearch(rows[0]));
  }

  async get(id: string, opts: { includeDeleted?: boolean } = {}): Promise<RecordBody> {
    if (!isUuid(id)) throw notFound(this.entity, id);
    const q = this.scoped(this.table.where({ id }).first(), "read");
    if (!opts.includeDeleted) q.whereNull("deleted_at");
    const row = await q;
    if (!row) throw notFound(this.entity, id);
    return rowToRecord(this.entity, stripSearch(await withFormulaValues(this.knex, this.entity, row)));
  }

  async update(id: string, body: unknown, expected: number | undefined): Promise<RecordBody> {
    if (!isUuid(id)) throw notFound(this.entity, id);
    const patch = assertValidRecord(this.entity, "patch", body);
    await assertReferencesExist(this.knex, this.entity, patch);
    await assertValidMoney(this.knex, this.entity, patch);
    return this.audited("update", async (store, trx) => {
      const before = await store.before(id);
      const q = store.scoped(
        store.table
          .where({ id })
          .whereNull("deleted_at")
          .update({
            ...recordToRow(this.entity, patch),
            version: trx.raw("version + 1"),
            updated_at: trx.fn.now(),
          })
          .returning("*"),
        "update",
      );
      if (expected !== undefined) q.where({ version: expected });
      const [row] = await q;
      if (!row) throw await store.missOrStale(id, expected);
      const after = rowToRecord(this.entity, stripSearch(await withFormulaValues(trx, this.entity, row)));
      await store.hooks.audit?.(trx, { action: "update", id, before, after });
      await store.hooks.changed?.(trx, { action: "update", id, before, after });
      return after;
    });
  }

  /**
   * Soft delete: the row stays, hidden from reads, and `restore` brings it back. Records that refer to it
   * are handled by each reference field's `onDelete`: restrict (default) refuses, setNull clears the
   * reference, cascade soft-deletes them; all in one transaction.
   */
  async remove(id: string, expected: number | undefined): Promise<RecordBody> {
    if (!this.referrers.length) return this.setDeleted(id, expected, true);
    return this.knex.transaction(async (trx) => {
      const record = await new RecordStore(trx, this.entity, [], this.hooks).setDeleted(id, expected, true);
      for (const { entity, field } of this.referrers) {
        const live = trx(entityTableRef(entity.name)).where(field.name, id).whereNull("deleted_at");
        const bump = { version: trx.raw("version + 1"), updated_at: trx.fn.now() };
        const rule = field.onDelete ?? "restrict";
        if (rule === "setNull" || rule === "cascade") {
          const change = rule === "setNull" ? { [field.name]: null } : { deleted_at: trx.fn.now() };
          const rows = await live.update({ ...change, ...bump }).returning("*");
          for (const row of this.hooks.audit ? rows : []) {
            const after = rowToRecord(entity, stripSearch(row));
            const before = { ...after, ...(rule === "setNull" ? { [field.name]: id } : { deleted_at: null }) };
            const action = rule === "setNull" ? "update" : "delete";
            await this.hooks.audit?.(trx, { action, id: row.id, before, after, entity });
          }
        } else {
          const [{ n }] = await live.count({ n: "*" });
          if (Number(n) > 0)
            throw new AppError(
              "reference_violation",
              `${n} ${entity.name} record(s) refer to this ${this.entity.name} through "${field.name}"; delete or reassign them first`,
              [],
              { referrers: [{ entity: entity.name, field: field.name, count: Number(n) }] },
            );
        }
      }
      return record;
    });
  }

  async restore(id: string, expected: number | undefined): Promise<RecordBody> {
    return this.setDeleted(id, expected, false);
  }

  private async setDeleted(id: string, expected: number | undefined, deleted: boolean): Promise<RecordBody> {
    if (!isUuid(id)) throw notFound(this.entity, id);
    return this.audited(null, async (store, trx) => {
      const before = await store.before(id);
      const q = store.scoped(
        store.table
          .where({ id })
          .update({
            deleted_at: deleted ? trx.fn.now() : null,
            version: trx.raw("version + 1"),
            updated_at: trx.fn.now(),
          })
          .returning("*"),
        deleted ? "delete" : "update",
      );
      if (deleted) q.whereNull("deleted_at");
      else q.whereNotNull("deleted_at");
      if (expected !== undefined) q.where({ version: expected });
      const [row] = await q;
      if (!row) throw await store.missOrStale(id, expected, deleted ? "live" : "deleted");
      const after = rowToRecord(this.entity, stripSearch(await withFormulaValues(trx, this.entity, row)));
      await this.hooks.audit?.(trx, { action: deleted ? "delete" : "restore", id, before, after });
      return after;
    });
  }

  private async missOrStale(id: string, expected: number | undefined, state: "live" | "deleted" = "live") {
    const current = await this.table.where({ id }).first("version", "deleted_at");
    const inState = current && (state === "live" ? current.deleted_at === null : current.deleted_at !== null);
    if (!inState) {
      if (current && state === "deleted")
        return new AppError("conflict", `The ${this.entity.name} record ${id} is not deleted`);
      return notFound(this.entity, id);
    }
    return new AppError(
      "version_conflict",
      `The ${this.entity.name} record was changed by someone else (now version ${current.version}, you sent ${expected}); reload and retry`,
      [],
      { currentVersion: current.version },
    );
  }
}
