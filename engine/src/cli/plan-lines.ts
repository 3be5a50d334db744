import type { MigrationPlan } from "../metadata/migration-plan";

/** Counts of a set of plans, for the summary line. */
export function planCounts(plans: readonly MigrationPlan[]): { entities: number; steps: number; destructive: number } {
  const changed = plans.filter((p) => p.steps.length > 0);
  return {
    entities: changed.length,
    steps: changed.reduce((n, p) => n + p.steps.length, 0),
    destructive: changed.reduce((n, p) => n + p.steps.filter((s) => s.destructive).length, 0),
  };
}

/** "3 steps on 2 entities". */
export function planSummary(counts: { entities: number; steps: number }): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${plural(counts.steps, "step", "steps")} on ${plural(counts.entities, "entity", "entities")}`;
}

/**
 * The plan as text, per entity in the given order: each step's description, `+` for a safe step and
 * `!` with "[destructive]" for a step that drops data. Entities without a plan say "no changes".
 */
export function planLines(
  entities: readonly string[],
  plans: readonly MigrationPlan[],
  fileOf: (entity: string) => string | undefined,
): string[] {
  const byEntity = new Map(plans.map((p) => [p.entity, p]));
  const names = [...entities, ...plans.map((p) => p.entity).filter((e) => !entities.includes(e))];
  const lines: string[] = [];
  for (const name of names) {
    const plan = byEntity.get(name);
    const file = fileOf(name);
    const head = file ? `${name} (${file})` : name;
    if (!plan || plan.steps.length === 0) {
      lines.push(`${head}: no changes`);
      continue;
    }
    lines.push(`${head}:`);
    for (const step of plan.steps)
      lines.push(step.destructive ? `  ! ${step.description} [destructive]` : `  + ${step.description}`);
  }
  return lines;
}
