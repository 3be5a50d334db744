export type FindingKind =
  | "missing_system_step"
  | "unknown_system_step"
  | "missing_table"
  | "extra_table"
  | "missing_column"
  | "extra_column"
  | "type_drift"
  | "generated_drift"
  | "nullability_drift"
  | "default_drift"
  | "missing_constraint"
  | "extra_constraint"
  | "constraint_drift"
  | "missing_index"
  | "extra_index"
  | "index_drift"
  | "missing_trigger"
  | "extra_trigger"
  | "trigger_drift"
  | "missing_routine"
  | "extra_routine"
  | "routine_drift";

/**
 * One difference between the database and what Kehu's metadata says it should be. `group` is the entity it
 * belongs to, or `system` for Kehu's own schema. A `notice` (an index or trigger someone added, say) is shown but
 * is not drift. `repair` holds the statements `--repair` would run; without it, `reason` says why not.
 */
export interface Finding {
  kind: FindingKind;
  group: string;
  /** `table data.customer`, `column amount`, `index customer__search`, `routine kehu.f()`. */
  object: string;
  expected?: string;
  actual?: string;
  severity: "drift" | "notice";
  repair?: RepairAction;
  reason?: string;
}

/** Statements that fix one finding, run in a savepoint; `table` names the table they touch (for data checks). */
export interface RepairAction {
  sql: string[];
  /** Checked against the data before repairing: a type change must convert every value losslessly, etc. */
  precheck?: { kind: "lossless_type" | "no_nulls" | "empty_column"; table: string; column: string; type?: string };
  /** Run after the whole repair succeeded in order (a rollup recomputed once its trigger is back). */
  after?: string[];
  /** Lower runs earlier: tables, columns and foreign constraints, types, defaults, constraints, indexes, routines, triggers, drops. */
  order: number;
  description: string;
}

/** Whether a finding still counts against a healthy database. */
export function isDrift(f: Finding): boolean {
  return f.severity === "drift";
}
