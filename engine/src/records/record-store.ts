import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { entityTableRef, SEARCH_COLUMN } from "../storage/identifiers";
import { type RecordBody, recordToRow, rowToRecord, withDefaults } from "./record-codec";
import { assertValidRecord } from "./record-validator";
import { isRecordId } from "./record-version";
import { assertReferencesExist } from "./reference-check";
import type { Referrer } from "./referrers";

function stripSearch(row: Record<string, unknown>): Record<string, unknown> {
  delete row[SEARCH_COLUMN];
  return row;
}

function notFound(entity: EntityDefinition, id: string): AppError {
  return new AppError("not_found", `No ${entity.name} record with id ${id}`);
}

/**
 * Single-record writes and reads of one entity's table. Every write validates the whole body first
 * (all problems at once), then runs as one statement, so a refused write changes nothing.
 */
export class RecordStore {
  constructor(
    private readonly knex: Knex,
    private readonly entity: EntityDefinition,
    private readonly referrers: readonly Referrer[] = [],
  ) {}

  private get table() {
    return this.knex(entityTableRef(this.entity.name));
  }

  async create(body: unknown, actor: string): Promise<RecordBody> {
    const record = withDefaults(this.entity, assertValidRecord(this.entity, "create", body));
    await assertReferencesExist(this.knex, this.entity, record);
    const [row] = await this.table.insert({ ...recordToRow(this.entity, record), created_by: actor }).returning("*");
    return rowToRecord(this.entity, stripSearch(row));
  }

  async get(id: string, opts: { includeDeleted?: boolean } = {}): Promise<RecordBody> {
    if (!isRecordId(id)) throw notFound(this.entity, id);
    const q = this.table.where({ id }).first();
    if (!opts.includeDeleted) q.whereNull("deleted_at");
    const row = await q;
    if (!row) throw notFound(this.entity, id);
    return rowToRecord(this.entity, stripSearch(row));
  }

  async update(id: string, body: unknown, expected: number | undefined): Promise<RecordBody> {
    if (!isRecordId(id)) throw notFound(this.entity, id);
    const patch = assertValidRecord(this.entity, "patch", body);
    await assertReferencesExist(this.knex, this.entity, patch);
    const q = this.table
      .where({ id })
      .whereNull("deleted_at")
      .update({
        ...recordToRow(this.entity, patch),
        version: this.knex.raw("version + 1"),
        updated_at: this.knex.fn.now(),
      })
      .returning("*");
    if (expected !== undefined) q.where({ version: expected });
    const [row] = await q;
    if (!row) throw await this.missOrStale(id, expected);
    return rowToRecord(this.entity, stripSearch(row));
  }

  /**
   * Soft delete: the row stays, hidden from reads, and `restore` brings it back. Records that refer to it
   * are handled by each reference field's `onDelete`: restrict (default) refuses, setNull clears the
   * reference, cascade soft-deletes them; all in one transaction.
   */
  async remove(id: string, expected: number | undefined): Promise<RecordBody> {
    if (!this.referrers.length) return this.setDeleted(id, expected, true);
    return this.knex.transaction(async (trx) => {
      const record = await new RecordStore(trx, this.entity).setDeleted(id, expected, true);
      for (const { entity, field } of this.referrers) {
        const live = trx(entityTableRef(entity.name)).where(field.name, id).whereNull("deleted_at");
        const bump = { version: trx.raw("version + 1"), updated_at: trx.fn.now() };
        const rule = field.onDelete ?? "restrict";
        if (rule === "setNull") await live.update({ [field.name]: null, ...bump });
        else if (rule === "cascade") await live.update({ deleted_at: trx.fn.now(), ...bump });
        else {
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
    if (!isRecordId(id)) throw notFound(this.entity, id);
    const q = this.table
      .where({ id })
      .update({
        deleted_at: deleted ? this.knex.fn.now() : null,
        version: this.knex.raw("version + 1"),
        updated_at: this.knex.fn.now(),
      })
      .returning("*");
    if (deleted) q.whereNull("deleted_at");
    else q.whereNotNull("deleted_at");
    if (expected !== undefined) q.where({ version: expected });
    const [row] = await q;
    if (!row) throw await this.missOrStale(id, expected, deleted ? "live" : "deleted");
    return rowToRecord(this.entity, stripSearch(row));
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
