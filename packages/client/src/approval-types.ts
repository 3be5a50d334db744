import type { PlannedLevel } from "@kehu/schema";
/** Who may approve at a level: named users, every holder of a role, the role's holder in the submitter's department. */
export interface ApproverSpec {
  users?: string[];
  roles?: string[];
  departmentRole?: string;
}

export interface ApprovalLevelSpec {
  name: string;
  approvers: ApproverSpec;
  mode?: "sequential" | "parallel";
  /** any-of, all-of, or N of the level's approvers. */
  quorum?: "any" | "all" | number;
  /** ISO 8601 duration (PT24H, P3D) after which the level escalates to `escalateTo`. */
  sla?: string;
  escalateTo?: ApproverSpec;
}

export interface ApprovalTierSpec {
  name: string;
  above?: number;
  upTo?: number;
  when?: Record<string, string[]>;
  levels: ApprovalLevelSpec[];
}

/** An approval matrix as `/api/workflows/approval-matrices` takes it. */
export interface ApprovalMatrixInput {
  key: string;
  label?: { en: string; zh: string };
  entity: string;
  amountField: string;
  dimensions?: string[];
  status?: { field: string; pending?: string; approved?: string; rejected?: string; withdrawn?: string };
  tiers: ApprovalTierSpec[];
  enabled?: boolean;
}

export interface ApprovalMatrix {
  key: string;
  entity: string;
  enabled: boolean;
  revision: number;
  definition: ApprovalMatrixInput;
  updatedBy: string;
  updatedAt: string;
}

/** The chain resolved for one record: tier, levels with who acts (and why), and every reason in order. */
export interface ApprovalPlan {
  matrix: string;
  revision: number;
  entity: string;
  recordId: string;
  submitter: string;
  amount: string | null;
  currency: string | null;
  baseAmount: number | null;
  baseCurrency: string;
  dimensions: Record<string, unknown>;
  tier: string | null;
  levels: PlannedLevel[];
  explanation: string[];
}

export interface ApprovalSubstitute {
  id: string;
  user: string;
  substitute: string;
  from: string;
  to: string;
  reason: string | null;
  createdBy: string;
}

export interface ApprovalRun {
  instanceId: string;
  matrix: string;
  round: number;
  outcome: "voting" | "approved" | "rejected" | "pending" | "withdrawn";
  plan: ApprovalPlan;
  state: { level: number; votes: Array<Record<string, unknown>>; reason: string; dueAt: string | null };
  updatedAt: string;
}
