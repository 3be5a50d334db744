import type {
  ApprovalMatrix,
  ApprovalMatrixInput,
  ApprovalPlan,
  ApprovalRun,
  ApprovalSubstitute,
} from "./approval-types";

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

const enc = encodeURIComponent;

/** Approval matrices, out-of-office substitutes, dry runs and the approval of an instance (administrators only). */
export function approvalApi(request: Request) {
  const list = async <T>(path: string) => (await request<{ data: T[] }>("GET", path)).data;
  const matrices = "/api/workflows/approval-matrices";
  return {
    matrices: {
      list: (entity?: string) => list<ApprovalMatrix>(entity ? `${matrices}?entity=${enc(entity)}` : matrices),
      get: (key: string) => request<ApprovalMatrix>("GET", `${matrices}/${enc(key)}`),
      create: (input: ApprovalMatrixInput) => request<ApprovalMatrix>("POST", matrices, input),
      replace: (key: string, input: Omit<ApprovalMatrixInput, "key">) =>
        request<ApprovalMatrix>("PUT", `${matrices}/${enc(key)}`, input),
      remove: (key: string) => request<void>("DELETE", `${matrices}/${enc(key)}`),
      /** Who would approve the record, in which order and why; with `definition`, under a changed matrix. */
      dryRun: (
        key: string,
        q: { recordId: string; submitter?: string; at?: string; definition?: Omit<ApprovalMatrixInput, "key"> },
      ) => request<ApprovalPlan>("POST", `${matrices}/${enc(key)}/dry-run`, q),
    },
    substitutes: {
      list: (user?: string) =>
        list<ApprovalSubstitute>(user ? `/api/workflows/substitutes?user=${enc(user)}` : "/api/workflows/substitutes"),
      create: (input: { user: string; substitute: string; from: string; to: string; reason?: string }) =>
        request<ApprovalSubstitute>("POST", "/api/workflows/substitutes", input),
      remove: (id: string) => request<void>("DELETE", `/api/workflows/substitutes/${enc(id)}`),
    },
    /** The chain an instance resolved, its votes and where it stands. */
    run: (instanceId: string) => request<ApprovalRun>("GET", `/api/workflows/approvals/${enc(instanceId)}`),
  };
}
