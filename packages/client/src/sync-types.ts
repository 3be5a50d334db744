import type { SyncConnectionView, SyncDeadLetterView, SyncLedgerOutcome, SyncLedgerView } from "@kehu/schema";

/** A connector the engine has, with the JSON Schema of a connection's config (secrets carry `"x-secret": true`). */
export interface SyncConnector {
  name: string;
  label: { en: string; zh?: string };
  version: string;
  config: Record<string, unknown>;
}

/** A connection as the API shows it: secrets masked as `********`. */
export type SyncConnection = SyncConnectionView;

export interface SyncConnectionInput {
  name: string;
  connector: string;
  label?: string;
  config: Record<string, unknown>;
  actAs?: string;
  schedule?: string;
  enabled?: boolean;
}

export type SyncRunStatus = "running" | "succeeded" | "failed" | "cancelled";

/** A sync run with its counts and where it is. */
export interface SyncRun {
  id: string;
  connection: string;
  streams: string[];
  mode: "incremental" | "full" | "replay";
  trigger: string;
  status: SyncRunStatus;
  startedAt: string;
  endedAt: string | null;
  startedBy: string | null;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  conflicts: number;
  /** Read but left out: by the mapping's filter, or because the Kehu record is deleted. */
  skipped: number;
  pages: number;
  progress: { stream: string; direction: "pull" | "push"; page: number } | null;
  error: string | null;
}

/** One record's passage through a run in one direction (the sync ledger). */
export type SyncLedgerEntry = SyncLedgerView;

/** Which ledger rows to read: of a run, of one record (by CRM id or external key), narrowed and paged. */
export interface SyncLedgerQuery {
  run?: string;
  record?: string;
  externalKey?: string;
  connection?: string;
  stream?: string;
  mapping?: string;
  entity?: string;
  direction?: "pull" | "push";
  outcome?: SyncLedgerOutcome;
  limit?: number;
  before?: string;
}

/** A record a run could not sync, with the reason. */
export type SyncDeadLetter = SyncDeadLetterView;

/** A record changed on both sides since the last sync, field by field. */
export interface SyncConflict {
  id: number;
  connection: string;
  stream: string;
  mapping: string;
  entity: string;
  recordId: string;
  externalKey: string;
  policy: string;
  status: "open" | "resolved";
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdAt: string;
  fields: Array<{ field: string; crm: unknown; erp: unknown; base: unknown; chosen?: unknown }>;
  report: string[];
}

export type ConflictResolution = { take: "crm" | "erp" } | { take: "custom"; values: Record<string, unknown> };
