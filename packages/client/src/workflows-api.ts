import type {
  InstanceStatus,
  WorkflowDeployment,
  WorkflowHistoryEntry,
  WorkflowInstance,
  WorkflowInstanceDetail,
  WorkflowServiceInfo,
  WorkflowTrigger,
} from "./workflow-types";

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export interface InstanceQuery {
  status?: InstanceStatus;
  key?: string;
  businessKey?: string;
  entity?: string;
  recordId?: string;
  limit?: number;
}

const one = (id: string) => `/api/workflows/instances/${encodeURIComponent(id)}`;

/** Workflow instances (`/api/workflows/instances`): administrators see all, others the ones they started. */
export function workflowsApi(request: Request) {
  return {
    instances: async (query: InstanceQuery = {}) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
      const s = q.toString();
      return (await request<{ data: WorkflowInstance[] }>("GET", `/api/workflows/instances${s ? `?${s}` : ""}`)).data;
    },
    instance: (id: string) => request<WorkflowInstanceDetail>("GET", one(id)),
    history: async (id: string) => (await request<{ data: WorkflowHistoryEntry[] }>("GET", `${one(id)}/history`)).data,
    /** One deployed version of a process, with its BPMN XML. */
    deployment: (key: string, version: number) =>
      request<WorkflowDeployment & { xml: string }>(
        "GET",
        `/api/workflows/deployments/${encodeURIComponent(key)}/${version}`,
      ),
    /** Every deployed version, newest first within a key (`key` narrows to one process). */
    deployments: async (key?: string) =>
      (
        await request<{ data: WorkflowDeployment[] }>(
          "GET",
          `/api/workflows/deployments${key ? `?key=${encodeURIComponent(key)}` : ""}`,
        )
      ).data,
    /** Deploys BPMN XML under a key (admins): the new version, or the same one when the XML did not change. */
    deploy: (input: { key: string; xml: string; name?: string; entity?: string }) =>
      request<WorkflowDeployment>("POST", "/api/workflows/deployments", input),
    /** The service-task library with each service's input JSON Schema. */
    services: async () => (await request<{ data: WorkflowServiceInfo[] }>("GET", "/api/workflows/services")).data,
    /** Record and schedule triggers (admins). */
    triggers: async () => (await request<{ data: WorkflowTrigger[] }>("GET", "/api/workflows/triggers")).data,
    /** Starts the latest version of `key`; `recordId` starts it for a record of the workflow's entity. */
    start: (
      key: string,
      input: { variables?: Record<string, unknown>; businessKey?: string; recordId?: string } = {},
    ) => request<WorkflowInstance>("POST", `/api/workflows/${encodeURIComponent(key)}/instances`, input),
    cancel: (id: string) => request<WorkflowInstance>("POST", `${one(id)}/cancel`, {}),
    retry: (id: string) => request<WorkflowInstance>("POST", `${one(id)}/retry`, {}),
  };
}
