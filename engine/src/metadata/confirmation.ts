import { AppError, type Issue, pointerSegment } from "@kehu/core";
import type { MigrationPlan } from "./migration-plan";

/** Throws `confirmation_required` listing every destructive step. */
export function assertConfirmed(plans: readonly MigrationPlan[]): void {
  const issues: Issue[] = plans.flatMap((p) =>
    p.steps.filter((s) => s.destructive).map((s) => ({ path: `/${pointerSegment(p.entity)}`, message: s.description })),
  );
  if (!issues.length) return;
  throw new AppError(
    "confirmation_required",
    `${issues.length} destructive step(s) need confirmation (confirm=1); dropped data is archived first`,
    issues,
    {
      destructiveSteps: plans.flatMap((p) =>
        p.steps
          .filter((s) => s.destructive)
          .map((s) => ({ entity: p.entity, kind: s.kind, field: s.field, description: s.description })),
      ),
    },
  );
}
