import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";
import { MAX_BULK_RECORDS, type PreparedBulk, prepareBulk } from "../records/bulk-upsert";
import type { Access } from "../security/access";
import { assertVisibleNames } from "../security/field-access";
import { bulkSecurityOf } from "../security/record-hooks";
import { type ColumnTarget, mapColumns } from "./column-mapping";
import { type ChunkItem, type ChunkResult, type ChunkWriter, writeChunk } from "./import-chunk";
import { resolveReferences } from "./reference-lookup";
import { type RowBody, rowBody } from "./row-body";
import type { RowError } from "./row-errors";
import { isEmptyCell, type SheetRow } from "./sheet-row";
import { UniqueSeen } from "./unique-seen";
import { takenUniqueValues } from "./unique-taken";

export type ImportMode = "all-or-nothing" | "skip-invalid";

export interface ImportOptions {
  mode: ImportMode;
  /** A unique field: rows whose value exists update that record, others create one. */
  upsertBy?: string;
  mapping?: Record<string, string | null>;
  ignoreUnknown?: boolean;
  /** Validate and report (counts included) without keeping anything. */
  dryRun?: boolean;
  /** Most rows per bulk upsert (at most 10,000); the first chunks are smaller, to start writing early. */
  chunkSize?: number;
  onProgress?: (rows: number) => void;
}

export interface ImportResult {
  created: number;
  updated: number;
  /** Data rows not written because of an error. */
  skipped: number;
  errors: RowError[];
  /** True when nothing was kept: a dry run, or all-or-nothing with errors. */
  rolledBack: boolean;
}

/** What an import runs on: the database, the entities, the caller (with channel `import`) and its login. */
export interface ImportContext {
  knex: Knex;
  registry: MetadataRegistry;
  access: Access;
  actor: string;
}

const ROLLBACK = Symbol("rollback");

/**
 * Rows of the first chunk; each next one is twice as big up to the chunk size. Until the first chunk is read nothing
 * is written, so a small one sets the database to work at once; later chunks are read while the one before is
 * written, and growing them keeps the number of statements low.
 */
const FIRST_CHUNK_ROWS = 1000;
const YIELD_EVERY_ROWS = 250;

/**
 * Imports a sheet into an entity as the caller: columns mapped, cells coerced, rows validated and written in chunks
 * through bulk upsert with the caller's scopes and audit, all in one transaction. skip-invalid commits every good row
 * and reports exactly the bad ones; all-or-nothing rolls back when any row fails, a dry run always.
 */
export async function importRecords(
  ic: ImportContext,
  entity: EntityDefinition,
  rows: AsyncIterable<SheetRow>,
  options: ImportOptions,
): Promise<ImportResult> {
  ic.access.require(entity.name, "create");
  if (options.upsertBy !== undefined)
    assertVisibleNames(entity, ic.access.hidden(entity.name), { fields: new Set([options.upsertBy]) });
  const iterator = rows[Symbol.asyncIterator]();
  const header = await firstRow(iterator);
  const columns = checkedColumns(entity, header.cells, ic.access, options);
  const chunkSize = Math.min(options.chunkSize ?? MAX_BULK_RECORDS, MAX_BULK_RECORDS);
  const run = async (knex: Knex): Promise<ImportResult> => {
    const writer: ChunkWriter = {
      knex,
      entity,
      upsertBy: options.upsertBy,
      actor: ic.actor,
      security: bulkSecurityOf(ic.access, entity),
      columnOf: (field) => columns.find((c) => c.field.name === field && c.part === "value")?.header ?? null,
    };
    const total: ChunkResult = { created: 0, updated: 0, errors: [] };
    const seen = new UniqueSeen(entity);
    let chunk: RowBody[] = [];
    let done = 0;
    const write = async (rows: RowBody[], sorted: SortedChunk | undefined) => {
      if (!sorted) await resolveChunkReferences(ic, knex, columns, rows);
      const result = await writeSorted(knex, writer, sorted ?? sortChunk(writer, rows, seen));
      total.created += result.created;
      total.updated += result.updated;
      total.errors.push(...result.errors);
      done += rows.length;
      options.onProgress?.(done);
    };
    // While the database writes one chunk, the next is read, coerced, validated and encoded for its INSERT (unless
    // its reference cells must be looked up first): one chunk in flight, in file order.
    const sortsAhead = !resolvesReferences(columns);
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const rows = chunk;
      chunk = [];
      const sorted = sortsAhead ? sortChunk(writer, rows, seen) : undefined;
      await writing;
      writing = write(rows, sorted);
      // Awaited before the next chunk and at the end; this only keeps Node from reporting it unhandled meanwhile.
      writing.catch(() => {});
    };
    try {
      let limit = Math.min(chunkSize, FIRST_CHUNK_ROWS);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        if (next.value.cells.every(isEmptyCell)) continue;
        chunk.push(rowBody(columns, next.value));
        // Rows parsed from memory come in microtasks, which starve I/O: let the chunk being written hear from the
        // database now and then, or its next statement waits until this whole chunk is read.
        if (chunk.length % YIELD_EVERY_ROWS === 0) await new Promise((resolve) => setImmediate(resolve));
        if (chunk.length >= limit) {
          await flush();
          limit = Math.min(chunkSize, limit * 2);
        }
      }
      if (chunk.length) await flush();
      await writing;
    } catch (e) {
      // A file that breaks while a chunk is written: let the write finish before the transaction rolls back.
      await writing.catch(() => {});
      throw e;
    }
    total.errors.sort((a, b) => a.row - b.row);
    const skipped = new Set(total.errors.map((e) => e.row)).size;
    const rollback = options.dryRun === true || (options.mode === "all-or-nothing" && total.errors.length > 0);
    const result = { ...total, skipped, rolledBack: rollback };
    if (rollback) throw Object.assign(new Error("rollback"), { [ROLLBACK]: result });
    return result;
  };
  try {
    // One transaction in every mode: a file that breaks half-way (or a failing server) leaves nothing behind.
    return await ic.knex.transaction((trx) => run(trx));
  } catch (e) {
    const result = (e as { [ROLLBACK]?: ImportResult })?.[ROLLBACK];
    if (result) return result;
    throw e;
  }
}

async function firstRow(iterator: AsyncIterator<SheetRow>): Promise<SheetRow> {
  for (let next = await iterator.next(); !next.done; next = await iterator.next())
    if (!next.value.cells.every(isEmptyCell)) return next.value;
  throw new AppError("validation_failed", "The file is empty: it needs a header row naming the columns");
}

function checkedColumns(
  entity: EntityDefinition,
  header: SheetRow["cells"],
  access: Access,
  options: ImportOptions,
): ColumnTarget[] {
  const mapping = mapColumns(
    entity,
    header.map((h) => (h instanceof Date ? h.toISOString() : String(h ?? ""))),
    {
      mapping: options.mapping,
      ignoreUnknown: options.ignoreUnknown,
      hidden: access.hidden(entity.name),
      readOnly: access.readOnly(entity.name),
    },
  );
  if (mapping.issues.length)
    throw new AppError(
      mapping.forbidden ? "forbidden" : "validation_failed",
      `The columns of the file do not fit ${entity.name}: ${mapping.issues.map((i) => `${i.path.replace(/^\/columns\//, "")} ${i.message}`).join("; ")}`,
      mapping.issues,
    );
  if (options.upsertBy !== undefined && !mapping.columns.some((c) => c.field.name === options.upsertBy))
    throw new AppError("validation_failed", `No column fills "${options.upsertBy}", the field to upsert by`, [
      { path: "/upsertBy", message: "no column fills this field" },
    ]);
  if (!mapping.columns.length) throw new AppError("validation_failed", "No column of the file matches a field");
  return mapping.columns;
}

/** A chunk's rows sorted into errors and rows to write, with the write prepared when that needs no database. */
interface SortedChunk {
  errors: RowError[];
  good: ChunkItem[];
  prepared?: PreparedBulk;
}

/** Whether the import resolves reference cells: then each chunk reads the database before its rows can be sorted. */
function resolvesReferences(columns: ColumnTarget[]): boolean {
  return columns.some((c) => c.field.type === "reference" && c.part === "value");
}

async function resolveChunkReferences(
  ic: ImportContext,
  knex: Knex,
  columns: ColumnTarget[],
  chunk: RowBody[],
): Promise<void> {
  for (const c of columns)
    if (c.field.type === "reference" && c.part === "value") {
      const values = chunk.flatMap((r) => (r.references.has(c.field) ? [r.references.get(c.field)!] : []));
      if (!values.length) continue;
      const resolved = await resolveReferences(knex, ic.registry, ic.access, c.field, values);
      for (const r of chunk) {
        const text = r.references.get(c.field);
        if (text === undefined) continue;
        const hit = resolved.get(text)!;
        if ("id" in hit) r.body[c.field.name] = hit.id;
        else r.errors.push({ row: r.row, column: c.header, field: c.field.name, message: hit.error });
      }
    }
}

/** Rows with errors, and repeats of a unique value seen earlier in the file, apart from the rows to write (in order). */
function sortChunk(writer: ChunkWriter, chunk: RowBody[], seen: UniqueSeen): SortedChunk {
  const errors: RowError[] = chunk.flatMap((r) => r.errors);
  const good: ChunkItem[] = [];
  for (const r of chunk) {
    if (r.errors.length) continue;
    const repeat = seen.check(r);
    if (repeat) errors.push({ ...repeat, column: writer.columnOf(repeat.field) });
    else good.push({ row: r.row, body: r.body });
  }
  const prepared = good.length
    ? prepareBulk(
        writer.entity,
        good.map((g) => g.body),
        { upsertBy: writer.upsertBy, atomic: false },
      )
    : undefined;
  return { errors, good, prepared };
}

/** Writes a sorted chunk: rows whose unique value another record holds are reported, the rest written. */
async function writeSorted(knex: Knex, writer: ChunkWriter, sorted: SortedChunk): Promise<ChunkResult> {
  const { errors, good } = sorted;
  const taken = await takenUniqueValues(knex, writer.entity, writer.upsertBy, good);
  for (const t of taken)
    errors.push({ row: t.item.row, column: writer.columnOf(t.field), field: t.field, message: t.message });
  const refused = new Set(taken.map((t) => t.item));
  // The prepared write holds exactly the good rows: with any refused it is prepared again from the rest.
  const written = refused.size
    ? await writeChunk(
        writer,
        good.filter((g) => !refused.has(g)),
      )
    : await writeChunk(writer, good, sorted.prepared);
  return { ...written, errors: [...errors, ...written.errors] };
}
