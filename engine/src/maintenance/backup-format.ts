import { AppError } from "@kehu/core";
import type { Backend } from "../storage/database";

/** The one format version this Kehu writes and reads. A reader refuses any other. */
export const BACKUP_FORMAT_VERSION = 1;

/** A backed-up table: `schema.table` and its stored columns (generated ones are rebuilt, not copied). */
export interface BackupTable {
  table: string;
  columns: Array<{ name: string; type: string }>;
}

/**
 * The first line of a backup file. After it come, per table, a `{"table": ...}` line and one JSON array of column
 * texts per row; then `{"sequences": [...]}` and `{"end": {"rows": {...}}}`, whose absence marks a cut-off file.
 */
export interface BackupHeader {
  format: "kehu-backup";
  formatVersion: number;
  engineVersion: string;
  /** The system steps applied to the backed-up database. */
  systemSteps: number[];
  createdAt: string;
  backend: Backend;
  tables: BackupTable[];
}

export interface BackupSequence {
  sequence: string;
  lastValue: string;
  isCalled: boolean;
}

/** Refuses a first line that is not a Kehu backup header of a version this Kehu reads, naming what it found. */
export function parseBackupHeader(line: string | undefined, file: string): BackupHeader {
  let header: Partial<BackupHeader> | undefined;
  try {
    header = line ? JSON.parse(line) : undefined;
  } catch {
    header = undefined;
  }
  if (header?.format !== "kehu-backup" || !Array.isArray(header.tables))
    throw new AppError("bad_request", `${file} is not a Kehu backup (its first line is no kehu-backup header)`);
  if (header.formatVersion !== BACKUP_FORMAT_VERSION)
    throw new AppError(
      "conflict",
      `${file} has backup format version ${header.formatVersion} (written by Kehu ${header.engineVersion}); this Kehu reads version ${BACKUP_FORMAT_VERSION} only`,
    );
  return header as BackupHeader;
}

/** Refuses a backup made by a Kehu with system steps this one does not have: its tables would not fit. */
export function assertKnownSteps(header: BackupHeader, knownSteps: readonly number[], engineVersion: string): void {
  const unknown = header.systemSteps.filter((id) => !knownSteps.includes(id));
  if (unknown.length)
    throw new AppError(
      "conflict",
      `The backup was made by Kehu ${header.engineVersion}, whose system schema has step${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")} that this Kehu (${engineVersion}, steps up to ${Math.max(0, ...knownSteps)}) does not have; restore it with Kehu ${header.engineVersion} or newer`,
    );
}
