import type { TaskCompletion, WorkflowTask, WorkflowTaskDetail } from "./workflow-types";

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

const one = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

/** The user-task inbox (`/api/tasks`): my tasks, claimable ones, and the actions on one task. */
export function tasksApi(request: Request) {
  return {
    /**
     * `mine` (assigned to me), `claimable` (unassigned, I am a candidate), `all` (administrators); oldest first, or
     * soonest due (`due`, none last) or highest priority (`priority`) first.
     */
    list: async (view: "mine" | "claimable" | "all" = "mine", sort?: "created" | "due" | "priority") =>
      (await request<{ data: WorkflowTask[] }>("GET", `/api/tasks?view=${view}${sort ? `&sort=${sort}` : ""}`)).data,
    get: (id: string) => request<WorkflowTaskDetail>("GET", one(id)),
    claim: (id: string) => request<WorkflowTask>("POST", `${one(id)}/claim`, {}),
    /** Completes the task with its form data; `outcome` (approve, reject, return, …) is one of the data's fields. */
    complete: (id: string, data: Record<string, unknown>) =>
      request<TaskCompletion>("POST", `${one(id)}/complete`, data),
    delegate: (id: string, to: string) => request<WorkflowTask>("POST", `${one(id)}/delegate`, { to }),
    comment: (id: string, body: string) => request<{ ok: true }>("POST", `${one(id)}/comments`, { body }),
  };
}
