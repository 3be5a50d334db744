import type { Dependent, DependentSource } from "../../metadata/dependents";
import type { ApprovalMatrix } from "./approval-matrix";

/** The fields an approval matrix reads, so dropping one names it: `approval matrix "purchase_approval" reads purchase_request.amount`. */
export const approvalDependents: DependentSource = async (knex) => {
  const rows: Array<{ definition: ApprovalMatrix }> = await knex("kehu.approval_matrices").select("definition");
  const found: Dependent[] = [];
  for (const { definition: m } of rows) {
    const fields = new Set([m.amountField, ...(m.dimensions ?? []), ...(m.status ? [m.status.field] : [])]);
    for (const field of fields)
      found.push({
        kind: "workflow",
        id: `approval:${m.key}:${field}`,
        label: `approval matrix "${m.key}" reads ${m.entity}.${field}`,
        entity: m.entity,
        field,
      });
  }
  return found;
};
