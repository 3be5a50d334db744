import type { ImpactEntry } from "./impact-analysis";

/** What one step of a migration does. */
export type MigrationStepKind =
  | "create_table"
  | "add_field"
  | "rename_field"
  | "change_type"
  | "set_required"
  | "drop_required"
  | "add_unique"
  | "drop_unique"
  | "add_index"
  | "drop_index"
  | "change_enum_values"
  | "change_rules"
  | "change_metadata"
  | "rebuild_search"
  | "drop_field"
  | "drop_table";

/**
 * A query over the entity's table as it is before the plan runs, finding rows the change cannot take.
 * `convert` checks guard the column rewrites and run first; `rule` checks may then compute converted values.
 */
export type DataCheck =
  | {
      kind: "rows";
      phase: "convert" | "rule";
      /** Where in the definition the offending rule is, e.g. `/fields/2/type`. */
      path: string;
      /** What every row must satisfy, as a sentence: "every phone value converts to integer". */
      rule: string;
      /** SQL predicate, true for an offending row. */
      where: string;
      /** SQL expression shown as the offending value. */
      value: string;
    }
  | {
      kind: "duplicates";
      phase: "rule";
      path: string;
      rule: string;
      /** SQL expressions whose combined values must be unique among live rows. */
      values: string[];
    };

export interface MigrationStep {
  kind: MigrationStepKind;
  /** The field's name after the change (its old name for `drop_field`). */
  field?: string;
  /** A human sentence, shown in previews and kept in revisions. */
  description: string;
  destructive: boolean;
  /** Statements run in order; empty for changes the app enforces on writes. */
  sql: string[];
  checks?: DataCheck[];
}

/** The steps that take an entity's table from its stored definition to a new one. */
export interface MigrationPlan {
  entity: string;
  steps: MigrationStep[];
  destructive: boolean;
  /** The dependants this entity's change touches (fixed, updated, broken on purpose or blocking), when any. */
  impact?: ImpactEntry[];
}

/** A plan from its steps, destructive when any step is. */
export function migrationPlan(entity: string, steps: MigrationStep[]): MigrationPlan {
  return { entity, steps, destructive: steps.some((s) => s.destructive) };
}

/** A step that changes nothing destructive. */
export function step(
  kind: MigrationStepKind,
  description: string,
  sql: string[] = [],
  extra: { field?: string; checks?: DataCheck[] } = {},
): MigrationStep {
  return {
    kind,
    ...(extra.field !== undefined ? { field: extra.field } : {}),
    description,
    destructive: false,
    sql,
    ...(extra.checks?.length ? { checks: extra.checks } : {}),
  };
}
