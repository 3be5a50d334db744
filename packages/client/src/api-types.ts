import type { EntityDefinition, RevisionDiff, UserView } from "@kehu/schema";

export type { RevisionDiff };

/** A user as `/api/auth/login` and `/api/auth/me` return it (the admin API's view). */
export type KehuUser = UserView;

/** The caller of a session or token, with the CSRF token cookie sessions must send on writes. */
export interface Session {
  user: KehuUser;
  csrfToken: string | null;
}

/** One step of a migration plan, as the dry-run shows it. */
export interface PlanStep {
  kind: string;
  field?: string;
  description: string;
  destructive: boolean;
  sql: string[];
}

export interface MigrationPlanView {
  entity: string;
  steps: PlanStep[];
  destructive: boolean;
  /** What else the change touches (forms, workflows, reports…), when the server lists it. */
  impact?: Array<{ kind: string; name: string; detail?: string }>;
}

/** The answer of an entity write with `dryRun`: the plan, nothing applied. */
export interface PlanPreview {
  dryRun: true;
  plan: MigrationPlanView;
}

/** The answer of an applied entity write: the stored definition and the plan that ran. */
export type AppliedEntity = { definition: EntityDefinition; revision?: number; plan: MigrationPlanView } & Record<
  string,
  unknown
>;

/** One row of the audit trail. */
export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorLogin: string | null;
  channel: string;
  entity: string;
  recordId: string;
  action: string;
  changes: Record<string, unknown> | null;
}

/** One recorded change of an entity's definition. */
export interface RevisionEntry {
  id: number;
  entity: string;
  actor: string;
  at: string;
  action: string;
  /** For a revert, the revision it undid. */
  reverts: number | null;
  summary: string[];
  diff: RevisionDiff;
  plan: MigrationPlanView;
  before: EntityDefinition | null;
  after: EntityDefinition | null;
}

/** The answer of a revert: the inverse's plan, and whether it was applied (not on a dry run). */
export interface RevertResult {
  dryRun?: true;
  reverts: number;
  entity: string;
  plan: MigrationPlanView;
  applied: boolean;
  revisions: number[];
  /** Forms, workflows, formulas… the revert touches: `{key: "formula:contract.total", message}`. */
  impact: Array<{ key: string; kind: string; message: string }>;
}
