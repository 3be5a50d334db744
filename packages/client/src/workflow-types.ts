import type { WorkflowTriggerView } from "@kehu/schema";

/** What a task is about: the process and the record (or business key) its instance was started for. */
export interface TaskSubject {
  processKey: string;
  entity: string | null;
  recordId: string | null;
  businessKey: string | null;
}

/** A user task's form: the JSON Schema of the data `complete` accepts (with `outcome` among its properties). */
export interface TaskForm {
  formKey: string | null;
  schema: { type?: string; properties?: Record<string, Record<string, unknown>>; required?: string[] } & Record<
    string,
    unknown
  >;
}

/** A user task as the inbox lists it. */
export interface WorkflowTask {
  id: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  form: TaskForm | null;
  status: "open" | "completed" | "cancelled";
  outcome: string | null;
  data: Record<string, unknown> | null;
  completedBy: string | null;
  createdAt: string;
  completedAt: string | null;
  /** From camunda:dueDate; `overdue` when the task is open past it (on the workflow clock). */
  dueDate: string | null;
  overdue: boolean;
  followUpDate: string | null;
  /** From camunda:priority; 50 when the BPMN sets none. */
  priority: number;
  subject: TaskSubject | null;
}

export interface TaskComment {
  author: string;
  body: string;
  at: string;
}

/** One task with its comments. */
export interface WorkflowTaskDetail extends WorkflowTask {
  comments: TaskComment[];
}

export type InstanceStatus = "running" | "waiting" | "completed" | "failed" | "cancelled";

/** A workflow instance; `active` are the element ids holding a token. */
export interface WorkflowInstance {
  id: string;
  key: string;
  version: number;
  status: InstanceStatus;
  businessKey: string | null;
  entity: string | null;
  recordId: string | null;
  variables: Record<string, unknown>;
  active: string[];
  error: string | null;
  startedBy: string;
  revision: number;
  createdAt: string;
  updatedAt: string | null;
  endedAt: string | null;
}

/** One instance with its tasks and pending timers. */
export interface WorkflowInstanceDetail extends WorkflowInstance {
  tasks: WorkflowTask[];
  timers: Array<{ id: string; elementId: string; dueAt: string }>;
}

/** One step of an instance's history: an element entered or left, a task claimed, completed, commented… */
export interface WorkflowHistoryEntry {
  at: string;
  elementId: string | null;
  elementType: string | null;
  event: string;
  actor: string | null;
  detail: Record<string, unknown> | null;
}

/** The answer of completing a task: the task and where its instance went. */
export interface TaskCompletion {
  task: WorkflowTask;
  instance: WorkflowInstance;
}

/** A deployed process version (the XML comes with `deployment(key, version)`). */
export interface WorkflowDeployment {
  key: string;
  version: number;
  name: string | null;
  entity: string | null;
  createdBy: string;
  createdAt: string;
}

/** A service of the service-task library: what a service task may call and the inputs it takes (JSON Schema). */
export interface WorkflowServiceInfo {
  name: string;
  version: number;
  description: string;
  inputSchema: { type: "object"; properties: Record<string, Record<string, unknown>>; required?: string[] };
}

/** What starts a process: record events on an entity, or a schedule. */
export type WorkflowTrigger = WorkflowTriggerView;
