import type { Issue } from "@kehu/core";

// What the API returns, in one place: the engine builds these shapes and the client reads them.

/** A user as the admin API returns it (the password is never returned). */
export interface UserView {
  id: string;
  login: string;
  displayName: string;
  email: string | null;
  locale: string;
  active: boolean;
  isAdmin: boolean;
  departmentId: string | null;
  roleIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** A sync connection as the API shows it: secrets masked as `********`, the acting user by login. */
export interface SyncConnectionView {
  name: string;
  label: string | null;
  connector: string;
  config: Record<string, unknown>;
  actAs: string | null;
  schedule: string | null;
  enabled: boolean;
  streams: string[] | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Where a dead letter stands: `open` waits for a person (or the next run); `retried` went through when retried or on
 * a later run; `discarded` was given up (or the mapping now leaves the record out); `replaced` was superseded by a
 * newer letter of the same record, which failed again with a newer reason (`replacedBy`).
 */
export const SYNC_DEAD_LETTER_STATUSES = ["open", "retried", "discarded", "replaced"] as const;
export type SyncDeadLetterStatus = (typeof SYNC_DEAD_LETTER_STATUSES)[number];

/** A record a sync run could not sync, with the reason. */
export interface SyncDeadLetterView {
  id: number;
  runId: string;
  direction: "pull" | "push";
  connection: string;
  stream: string;
  mapping: string;
  externalKey: string | null;
  recordId: string | null;
  payload: unknown;
  reason: string;
  issues: Issue[];
  status: SyncDeadLetterStatus;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** The newer letter of the same record that replaced this one (status `replaced`); null otherwise. */
  replacedBy: number | null;
}

/** What one record's passage through a sync run can come to (the ledger's `outcome`). */
export const SYNC_LEDGER_OUTCOMES = ["created", "updated", "unchanged", "failed", "conflict", "skipped"] as const;
export type SyncLedgerOutcome = (typeof SYNC_LEDGER_OUTCOMES)[number];

/** One record's passage through a sync run in one direction: the source version, payload hash, idempotency key,
 * outcome and time (the sync ledger). */
export interface SyncLedgerView {
  id: string;
  runId: string;
  direction: "pull" | "push";
  connection: string;
  stream: string;
  mapping: string;
  entity: string;
  recordId: string | null;
  externalKey: string | null;
  sourceVersion: string | null;
  payloadHash: string | null;
  idempotencyKey: string | null;
  outcome: SyncLedgerOutcome;
  message: string | null;
  at: string;
}

/** How many approvals a level needs: any one, all, or N of its approvers. */
export type Quorum = "any" | "all" | number;

/** One approver of a level: who the matrix names, who acts (a substitute while they are away), and why. */
export interface PlannedSlot {
  approver: string;
  acts: string;
  why: string;
  substitutedBy?: string[];
}

export interface PlannedLevel {
  index: number;
  name: string;
  mode: "sequential" | "parallel";
  quorum: Quorum;
  /** Approvals the level needs: 1 (any), all of them, or N. */
  required: number;
  slots: PlannedSlot[];
  sla: string | null;
  escalateTo: { logins: string[]; why: string } | null;
  /** Set when the level can never be decided (no approver, or fewer approvers than its quorum). */
  blocked?: string;
}

/** What a revision changed, field by field, for a history view. */
export interface RevisionDiff {
  added: string[];
  dropped: string[];
  renamed: Array<{ from: string; to: string }>;
  /** Fields whose options changed: the field's name after the change and each option with its two values. */
  changed: Array<{ field: string; options: Array<{ key: string; before: unknown; after: unknown }> }>;
  /** Entity options that changed (label, titleField, indexes...). */
  entity: Array<{ key: string; before: unknown; after: unknown }>;
}

/** A workflow trigger as stored and shown: starts `key` when a record changes (with a condition) or on a schedule. */
export interface WorkflowTriggerView {
  id: string;
  key: string;
  kind: "record" | "schedule";
  entity: string | null;
  events: string[];
  condition: string | null;
  cron: string | null;
  variables: Record<string, unknown>;
  enabled: boolean;
}
