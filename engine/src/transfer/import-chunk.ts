import { AppError, type Issue, isAppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { type BulkSecurity, bulkUpsert, type PreparedBulk, writePreparedBulk } from "../records/bulk-upsert";
import { databaseRowError, type RowError, uniqueViolation } from "./row-errors";

/** One row ready to write: its sheet row number and its record body. */
export interface ChunkItem {
  row: number;
  body: Record<string, unknown>;
}

/** How a chunk is written: bulk upsert as the caller, with the columns to name in row errors. */
export interface ChunkWriter {
  knex: Knex;
  entity: EntityDefinition;
  upsertBy?: string;
  actor: string;
  security: BulkSecurity;
  columnOf: (field: string) => string | null;
}

export interface ChunkResult {
  created: number;
  updated: number;
  errors: RowError[];
}

/**
 * Writes rows through `bulkUpsert` (invalid ones skipped and reported). When the database refuses the batch (a
 * unique value taken, a record moved out of scope), the refused rows are isolated and the rest written: a unique
 * violation names its value, so those rows go at once; otherwise the batch is halved until the culprit is alone.
 */
export async function writeChunk(w: ChunkWriter, items: ChunkItem[], prepared?: PreparedBulk): Promise<ChunkResult> {
  const out: ChunkResult = { created: 0, updated: 0, errors: [] };
  await writeInto(w, items, out, prepared);
  return out;
}

// Adds into one result, so isolating many refused rows never copies the errors found so far. `prepared`, when
// given, is `items` already checked and encoded by prepareBulk.
async function writeInto(w: ChunkWriter, items: ChunkItem[], out: ChunkResult, prepared?: PreparedBulk): Promise<void> {
  if (!items.length) return;
  try {
    const result = prepared
      ? await writePreparedBulk(w.knex, prepared, w.actor, w.security)
      : await bulkUpsert(
          w.knex,
          w.entity,
          items.map((i) => i.body),
          { upsertBy: w.upsertBy, atomic: false },
          w.actor,
          w.security,
        );
    out.created += result.created;
    out.updated += result.updated;
    for (const issue of result.errors) out.errors.push(fromIssue(w, items, issue));
  } catch (e) {
    if (isAppError(e) && e.code !== "forbidden") throw e;
    const unique = uniqueViolation(e);
    if (unique) {
      const hit = new Set(items.filter((i) => valueText(i.body[unique.column]) === unique.value));
      if (hit.size) {
        const message = `another record already has ${unique.column} "${unique.value}"`;
        for (const i of hit)
          out.errors.push({ row: i.row, column: w.columnOf(unique.column), field: unique.column, message });
        return writeInto(
          w,
          items.filter((i) => !hit.has(i)),
          out,
        );
      }
    }
    if (items.length === 1) {
      out.errors.push(singleError(w, items[0], e));
      return;
    }
    const half = Math.ceil(items.length / 2);
    await writeInto(w, items.slice(0, half), out);
    await writeInto(w, items.slice(half), out);
  }
}

function singleError(w: ChunkWriter, item: ChunkItem, e: unknown): RowError {
  if (isAppError(e)) return { row: item.row, column: null, field: null, message: "you may not update this record" };
  const db = databaseRowError(e);
  if (!db) throw e;
  return { row: item.row, column: db.field ? w.columnOf(db.field) : null, field: db.field, message: db.message };
}

function fromIssue(w: ChunkWriter, items: ChunkItem[], issue: Issue): RowError {
  const [, , index, field] = issue.path.split("/");
  const item = items[Number(index)];
  if (!item) throw new AppError("validation_failed", issue.message, [issue]);
  const name = field ? field.replace(/__currency$/, "") : null;
  return { row: item.row, column: name ? w.columnOf(name) : null, field: name, message: issue.message };
}

function valueText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}
