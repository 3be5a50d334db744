import {
  formSchema,
  labelSchema,
  SYNC_DEAD_LETTER_STATUSES,
  SYNC_LEDGER_OUTCOMES,
  syncConnectionSchema,
  syncMappingSchema,
} from "@kehu/schema";
import { currencyInputSchemas } from "../../currency/currency-input";
import { reportDefinitionSchema } from "../../reports/report-definition";
import { reportRequestSchema } from "../../reports/report-request";
import { APPROVAL_MATRIX_SCHEMA } from "../../workflow/approval/approval-matrix";
import { SUBSTITUTE_SCHEMA } from "../../workflow/approval/approval-substitutes";
import { json, type OpenApiObject, problemResponses, ref } from "./openapi-components";

/** Tags of the routes that are not an entity's records; capitalised, so they never collide with an entity's. */
export const PLATFORM_TAGS: OpenApiObject[] = [
  { name: "Auth", description: "**Auth / 认证** — sessions and API tokens." },
  { name: "Admin", description: "**Admin / 管理** — users, departments, roles and permissions, ownership, doctor." },
  { name: "Currencies", description: "**Currencies / 币种** — currencies, the base currency, dated exchange rates." },
  { name: "Audit", description: "**Audit / 审计** — the append-only audit trail." },
  { name: "Reports", description: "**Reports / 报表** — grouped measures over an entity, saved reports, dashboards." },
  { name: "Forms", description: "**Forms / 表单** — form layouts of entities." },
  { name: "Revisions", description: "**Revisions / 修订** — metadata changes, and reverting them." },
  { name: "Workflows", description: "**Workflows / 流程** — BPMN deployments, triggers and instances." },
  { name: "Tasks", description: "**Tasks / 任务** — user tasks of workflow instances." },
  { name: "Notifications", description: "**Notifications / 通知** — the caller's notifications and reminders." },
  { name: "Sync", description: "**Sync / 同步** — connections, mappings, runs, conflicts and dead letters." },
  { name: "Docs", description: "**Docs / 文档** — this document and its reference page." },
];

type Method = "get" | "post" | "put" | "patch" | "delete";

interface Operation {
  summary: string;
  /** The JSON body the route validates. */
  body?: OpenApiObject;
  /** Success status (200 unless said). */
  status?: number;
  /** Success body schema; a JSON object unless said. */
  response?: OpenApiObject | null;
  query?: Record<string, OpenApiObject>;
  /** Problem statuses besides 400 (always possible). */
  problems?: Array<404 | 409 | 413 | 415 | 422>;
}

const object = (properties: Record<string, OpenApiObject>, required: string[] = []): OpenApiObject => ({
  type: "object",
  properties,
  ...(required.length && { required }),
  additionalProperties: false,
});
const text: OpenApiObject = { type: "string" };
const uuid: OpenApiObject = { type: "string", format: "uuid" };
const nullable = (schema: OpenApiObject): OpenApiObject => ({ anyOf: [schema, { type: "null" }] });
const list: OpenApiObject = {
  type: "object",
  properties: { data: { type: "array", items: { type: "object" } } },
  required: ["data"],
};
const plain = (schema: unknown): OpenApiObject => {
  const { $id: _, $schema: __, ...rest } = structuredClone(schema) as OpenApiObject;
  return rest;
};

const USER = object({
  login: text,
  displayName: text,
  email: nullable({ type: "string", format: "email" }),
  locale: text,
  active: { type: "boolean" },
  isAdmin: { type: "boolean" },
  departmentId: nullable(uuid),
  roleIds: { type: "array", items: uuid },
  password: { type: "string", minLength: 8 },
});
/** A page of a list read newest first: `nextCursor` is the `before` of the next page (null on the last). */
const pageOf = (item: OpenApiObject): OpenApiObject =>
  object({ data: { type: "array", items: item }, nextCursor: nullable(text) }, ["data", "nextCursor"]);
const LEDGER_OUTCOME: OpenApiObject = { type: "string", enum: [...SYNC_LEDGER_OUTCOMES] };
const LEDGER_ENTRY = object(
  {
    id: text,
    runId: uuid,
    direction: { type: "string", enum: ["pull", "push"] },
    connection: text,
    stream: text,
    mapping: text,
    entity: text,
    recordId: nullable(uuid),
    externalKey: nullable(text),
    sourceVersion: nullable(text),
    payloadHash: nullable(text),
    idempotencyKey: nullable(text),
    outcome: LEDGER_OUTCOME,
    message: nullable(text),
    at: { type: "string", format: "date-time" },
  },
  ["id", "runId", "direction", "connection", "stream", "mapping", "entity", "outcome", "at"],
);
const QUEUED_START = object(
  {
    id: text,
    key: text,
    entity: nullable(text),
    recordId: nullable(text),
    attempts: { type: "integer" },
    lastError: nullable(text),
    createdAt: { type: "string", format: "date-time" },
    failedAt: nullable({ type: "string", format: "date-time" }),
    nextAttemptAt: nullable({ type: "string", format: "date-time" }),
  },
  ["id", "key", "entity", "recordId", "attempts", "lastError", "createdAt", "failedAt", "nextAttemptAt"],
);
const DEPARTMENT = object({ name: text, code: nullable(text), parentId: nullable(uuid) });
const ROLE = object({ name: text, label: nullable(plain(labelSchema)), description: nullable(text) });
const SCOPE: OpenApiObject = { type: "string", enum: ["own", "department", "department_tree", "all"] };
const PERMISSIONS = object({
  entities: {
    type: "object",
    description: "Per entity, the scope of each action: `{customer: {read: 'department', update: 'own'}}`.",
    additionalProperties: { type: "object", additionalProperties: SCOPE },
  },
  fields: {
    type: "object",
    description: "Per entity and field, whether the role may read and write it.",
    additionalProperties: {
      type: "object",
      additionalProperties: object({ read: { type: "boolean" }, write: { type: "boolean" } }, ["read", "write"]),
    },
  },
});
const BREAKS: OpenApiObject = {
  type: "array",
  items: text,
  description: "Dependants (forms, workflows, sync mappings, ...) the change may break, as impact analysis names them.",
};
const ENTITY_QUERY: OpenApiObject = { type: "string", pattern: "^[a-z][a-z0-9]*(_[a-z0-9]+)*$" };
const CURRENCY = currencyInputSchemas;

/** Every route of the API that is not an entity's record routes or entity definitions, by path and method. */
const OPERATIONS: Record<string, { tag: string } & Partial<Record<Method, Operation>>> = {
  "/api/auth/login": {
    tag: "Auth",
    post: {
      summary: "Sign in; sets the session cookie and returns the CSRF token",
      body: object({ login: text, password: text }, ["login", "password"]),
    },
  },
  "/api/auth/logout": { tag: "Auth", post: { summary: "Sign out (ends the session)", status: 204, response: null } },
  "/api/auth/me": { tag: "Auth", get: { summary: "The signed-in user, roles and permissions" } },
  "/api/auth/tokens": {
    tag: "Auth",
    get: { summary: "The caller's API tokens (never their secrets)", response: list },
    post: {
      summary: "Create an API token; its secret is shown once",
      status: 201,
      body: object(
        {
          name: text,
          access: { type: "string", enum: ["read", "write"] },
          entities: nullable({ type: "array", items: ENTITY_QUERY }),
        },
        ["name", "access"],
      ),
    },
  },
  "/api/auth/tokens/{id}": {
    tag: "Auth",
    delete: { summary: "Revoke an API token", status: 204, response: null, problems: [404] },
  },
  "/api/admin/users": {
    tag: "Admin",
    get: { summary: "List users", response: list },
    post: { summary: "Create a user", status: 201, body: { ...USER, required: ["login", "displayName"] } },
  },
  "/api/admin/users/{id}": {
    tag: "Admin",
    get: { summary: "Read a user", problems: [404] },
    patch: { summary: "Change a user", body: USER, problems: [404, 409] },
    delete: { summary: "Deactivate a user", problems: [404] },
  },
  "/api/admin/departments": {
    tag: "Admin",
    get: { summary: "List departments", response: list },
    post: { summary: "Create a department", status: 201, body: { ...DEPARTMENT, required: ["name"] } },
  },
  "/api/admin/departments/{id}": {
    tag: "Admin",
    get: { summary: "Read a department", problems: [404] },
    patch: { summary: "Change a department", body: DEPARTMENT, problems: [404, 409] },
    delete: {
      summary: "Delete a department (refused while it has members or children)",
      status: 204,
      response: null,
      problems: [404, 409],
    },
  },
  "/api/admin/roles": {
    tag: "Admin",
    get: { summary: "List roles", response: list },
    post: { summary: "Create a role", status: 201, body: { ...ROLE, required: ["name"] } },
  },
  "/api/admin/roles/{id}": {
    tag: "Admin",
    get: { summary: "Read a role", problems: [404] },
    patch: { summary: "Change a role", body: ROLE, problems: [404, 409] },
    delete: { summary: "Delete a role", status: 204, response: null, problems: [404] },
  },
  "/api/admin/roles/{id}/permissions": {
    tag: "Admin",
    get: { summary: "A role's entity scopes and field permissions", response: PERMISSIONS, problems: [404] },
    put: { summary: "Replace a role's permissions", body: PERMISSIONS, response: PERMISSIONS, problems: [404] },
  },
  "/api/admin/ownership/transfer": {
    tag: "Admin",
    post: {
      summary: "Move records (all of a user's, or a filtered set) to another owner and department",
      body: object(
        {
          entity: ENTITY_QUERY,
          from: uuid,
          filter: { type: "object", description: "Filter AST over the entity's fields." },
          toUser: uuid,
          toDepartment: nullable(uuid),
        },
        ["entity", "toUser"],
      ),
      problems: [404],
    },
  },
  "/api/admin/explain": {
    tag: "Admin",
    get: {
      summary: "The query plan of a record list (what an admin needs to add an index)",
      query: { entity: ENTITY_QUERY, filter: text, sort: text, search: text },
      problems: [404],
    },
  },
  "/api/admin/doctor": {
    tag: "Admin",
    get: { summary: "Compare the metadata with the live database: missing, extra and drifted columns and indexes" },
  },
  "/api/admin/currencies": {
    tag: "Currencies",
    get: { summary: "List currencies", response: list },
    post: { summary: "Add a currency", status: 201, body: plain(CURRENCY.currencyCreate), problems: [409] },
  },
  "/api/admin/currencies/{code}": {
    tag: "Currencies",
    get: { summary: "Read a currency", problems: [404] },
    patch: { summary: "Change a currency's label, decimals, rounding or state", body: plain(CURRENCY.currencyPatch) },
  },
  "/api/admin/base-currency": {
    tag: "Currencies",
    get: { summary: "The base currency totals and roll-ups convert to" },
    put: { summary: "Set the base currency", body: plain(CURRENCY.base), problems: [409] },
  },
  "/api/admin/exchange-rates": {
    tag: "Currencies",
    get: {
      summary: "Dated exchange rates to the base currency",
      query: { currency: plain(CURRENCY.rateQuery.properties.currency), from: text, to: text },
      response: list,
    },
    post: { summary: "Add a dated exchange rate", status: 201, body: plain(CURRENCY.rateCreate), problems: [409] },
  },
  "/api/admin/exchange-rates/{id}": {
    tag: "Currencies",
    patch: { summary: "Change a rate's date or value", body: plain(CURRENCY.ratePatch), problems: [404, 409] },
    delete: { summary: "Delete a rate", status: 204, response: null, problems: [404] },
  },
  "/api/audit": {
    tag: "Audit",
    get: {
      summary: "Audit rows, newest first: of one record (entity and record) or of one user (user)",
      query: { entity: ENTITY_QUERY, record: uuid, user: uuid, before: text, limit: { type: "integer" } },
      response: list,
    },
  },
  "/api/reports/query": {
    tag: "Reports",
    post: {
      summary: "Group an entity's records and compute measures (money in a chosen currency)",
      body: plain(reportRequestSchema),
      problems: [404],
    },
  },
  "/api/reports": {
    tag: "Reports",
    get: { summary: "Saved reports (of one entity with ?entity=)", query: { entity: ENTITY_QUERY }, response: list },
  },
  "/api/reports/{key}": {
    tag: "Reports",
    get: { summary: "Read a saved report", problems: [404] },
    put: {
      summary: "Create or replace a saved report, checked against the metadata (administrators)",
      body: { ...plain(reportDefinitionSchema), required: ["label", "query"] },
    },
    delete: {
      summary: "Delete a saved report no dashboard shows (administrators)",
      status: 204,
      response: null,
      problems: [404, 409],
    },
  },
  "/api/reports/{key}/run": {
    tag: "Reports",
    post: {
      summary: "Run a saved report as the caller (?explain=1 adds the SQL, for administrators)",
      query: { explain: { type: "string", enum: ["1", "0"] } },
      problems: [404],
    },
  },
  "/api/dashboards": { tag: "Reports", get: { summary: "Dashboards", response: list } },
  "/api/dashboards/{key}": {
    tag: "Reports",
    get: { summary: "Read a dashboard", problems: [404] },
    put: {
      summary: "Create or replace a dashboard of saved reports (administrators)",
      body: object({ key: text, label: plain(labelSchema), reports: { type: "array", items: text } }, [
        "label",
        "reports",
      ]),
    },
    delete: { summary: "Delete a dashboard (administrators)", status: 204, response: null, problems: [404] },
  },
  "/api/dashboards/{key}/data": {
    tag: "Reports",
    get: {
      summary: "Run every report of a dashboard as the caller; a refused one comes back as its problem",
      problems: [404],
    },
  },
  "/api/meta/forms": { tag: "Forms", get: { summary: "Every form layout", response: list } },
  "/api/meta/forms/{entity}/{name}": {
    tag: "Forms",
    get: { summary: "Read a form layout", problems: [404] },
    put: { summary: "Create or replace a form layout (checked against the entity)", body: plain(formSchema) },
    delete: { summary: "Delete a form layout", status: 204, response: null, problems: [404] },
  },
  "/api/meta/revisions": {
    tag: "Revisions",
    get: {
      summary: "Metadata revisions of every entity, newest first",
      query: { entity: ENTITY_QUERY, before: { type: "integer" }, limit: { type: "integer" } },
      response: list,
    },
  },
  "/api/meta/revisions/{id}": {
    tag: "Revisions",
    get: { summary: "Read a revision", response: ref("schemas", "Revision"), problems: [404] },
  },
  "/api/meta/revisions/{id}/revert": {
    tag: "Revisions",
    post: {
      summary: "Revert a revision by applying its inverse plan (data restored from the archive where it can be)",
      query: {
        dryRun: { type: "string", enum: ["1", "0"] },
        confirm: { type: "string", enum: ["1", "0"] },
      },
      body: object({ breaks: BREAKS }),
      problems: [404, 409],
    },
  },
  "/api/workflows/deployments": {
    tag: "Workflows",
    get: { summary: "Deployed workflow versions", query: { key: text }, response: list },
    post: {
      summary: "Deploy a BPMN workflow (a new version when the XML changed)",
      status: 201,
      body: object({ key: text, xml: text, name: text, entity: ENTITY_QUERY }, ["key", "xml"]),
    },
  },
  "/api/workflows/deployments/{key}/{version}": {
    tag: "Workflows",
    get: { summary: "One deployed version with its XML", problems: [404] },
  },
  "/api/workflows/services": {
    tag: "Workflows",
    get: {
      summary: "The service-task library: each service's name, description and input JSON Schema",
      response: list,
    },
  },
  "/api/workflows/settings": {
    tag: "Workflows",
    get: { summary: "Workflow settings" },
    put: {
      summary: "Change workflow settings",
      body: object({
        scriptsEnabled: { type: "boolean" },
        httpAllowedHosts: { type: "array", items: { type: "string" }, description: "hosts the http service may call" },
      }),
    },
  },
  "/api/workflows/triggers": {
    tag: "Workflows",
    get: { summary: "Record and schedule triggers", response: list },
    post: {
      summary: "Start a workflow on record events or on a schedule",
      status: 201,
      body: object(
        {
          key: text,
          kind: { type: "string", enum: ["record", "schedule"] },
          entity: ENTITY_QUERY,
          events: { type: "array", items: { type: "string", enum: ["create", "update", "delete"] } },
          condition: text,
          cron: text,
          variables: { type: "object" },
        },
        ["key", "kind"],
      ),
    },
  },
  "/api/workflows/triggers/{id}": {
    tag: "Workflows",
    delete: { summary: "Delete a trigger", status: 204, response: null, problems: [404] },
  },
  "/api/workflows/{key}/instances": {
    tag: "Workflows",
    post: {
      summary: "Start an instance of the latest version (for a record of the workflow's entity with recordId)",
      status: 201,
      body: object({ variables: { type: "object" }, businessKey: text, recordId: { type: "string", format: "uuid" } }),
      problems: [404],
    },
  },
  "/api/workflows/instances": {
    tag: "Workflows",
    get: { summary: "Workflow instances", query: { key: text, status: text }, response: list },
  },
  "/api/workflows/instances/{id}": { tag: "Workflows", get: { summary: "Read an instance", problems: [404] } },
  "/api/workflows/instances/{id}/history": {
    tag: "Workflows",
    get: { summary: "What an instance did, step by step", response: list, problems: [404] },
  },
  "/api/workflows/instances/{id}/cancel": {
    tag: "Workflows",
    post: { summary: "Cancel a running instance", problems: [404, 409] },
  },
  "/api/workflows/instances/{id}/retry": {
    tag: "Workflows",
    post: { summary: "Retry a failed instance", problems: [404, 409] },
  },
  "/api/workflows/queued-starts": {
    tag: "Workflows",
    get: {
      summary: "Queued starts of record triggers that did not run: given up after repeated failures, or pending",
      query: {
        status: { type: "string", enum: ["failed", "pending"], default: "failed" },
        limit: { type: "integer", minimum: 1, maximum: 1000 },
      },
      response: {
        type: "object",
        properties: { data: { type: "array", items: QUEUED_START } },
        required: ["data"],
      },
    },
  },
  "/api/workflows/queued-starts/{id}/retry": {
    tag: "Workflows",
    post: {
      summary: "Run a queued start now, its attempts counted afresh (422 with the reason when it fails again)",
      response: object({ instanceId: uuid }, ["instanceId"]),
      problems: [404, 409, 422],
    },
  },
  "/api/workflows/approval-matrices": {
    tag: "Workflows",
    get: {
      summary: "Approval matrices (of one entity with ?entity=)",
      query: { entity: ENTITY_QUERY },
      response: list,
    },
    post: { summary: "Create an approval matrix", status: 201, body: plain(APPROVAL_MATRIX_SCHEMA), problems: [409] },
  },
  "/api/workflows/approval-matrices/{key}": {
    tag: "Workflows",
    get: { summary: "Read an approval matrix", problems: [404] },
    put: { summary: "Replace an approval matrix (the next approvals follow it)", body: plain(APPROVAL_MATRIX_SCHEMA) },
    delete: { summary: "Delete an approval matrix", status: 204, response: null, problems: [404] },
  },
  "/api/workflows/approval-matrices/{key}/dry-run": {
    tag: "Workflows",
    post: {
      summary: "Who would approve a record, in which order and why (with the saved or a changed matrix)",
      body: object(
        {
          recordId: uuid,
          submitter: text,
          at: { type: "string", format: "date-time" },
          definition: { type: "object" },
        },
        ["recordId"],
      ),
      problems: [404],
    },
  },
  "/api/workflows/substitutes": {
    tag: "Workflows",
    get: { summary: "Out-of-office substitutes (of one user with ?user=)", query: { user: text }, response: list },
    post: { summary: "Name a substitute for an absence", status: 201, body: plain(SUBSTITUTE_SCHEMA) },
  },
  "/api/workflows/substitutes/{id}": {
    tag: "Workflows",
    delete: { summary: "End a substitution", status: 204, response: null, problems: [404] },
  },
  "/api/workflows/approvals/{instanceId}": {
    tag: "Workflows",
    get: { summary: "An approval instance's plan, votes and reasons", problems: [404] },
  },
  "/api/workflows/assignments": {
    tag: "Workflows",
    get: {
      summary: "Why a record got its owner: the assignOwner decisions about it",
      query: { entity: ENTITY_QUERY, record: uuid },
      response: list,
      problems: [404],
    },
  },
  "/api/workflows/assignments/what-if": {
    tag: "Workflows",
    post: {
      summary: "Replay changed territory rules over recent decisions without writing (administrators)",
      body: object(
        {
          entity: ENTITY_QUERY,
          rules: { type: "object" },
          ruleSet: text,
          within: { type: "string", enum: ["roundRobin", "leastOpen"] },
          days: { type: "integer", minimum: 1, maximum: 366 },
          since: { type: "string", format: "date-time" },
          until: { type: "string", format: "date-time" },
        },
        ["entity"],
      ),
    },
  },
  "/api/workflows/assignments/rule-sets/{name}": {
    tag: "Workflows",
    get: { summary: "A stored territory rule set (administrators)", problems: [404] },
    put: { summary: "Store a territory rule set; assignOwner prefers it to the BPMN's own", body: { type: "object" } },
  },
  "/api/tasks": {
    tag: "Tasks",
    get: {
      summary:
        "Tasks the caller may see (assigned, or claimable), each with its due date (overdue when past it), follow-up date and priority",
      query: {
        view: { type: "string", enum: ["mine", "claimable", "all"] },
        status: text,
        sort: { type: "string", enum: ["created", "due", "priority"] },
      },
      response: list,
    },
  },
  "/api/tasks/{id}": { tag: "Tasks", get: { summary: "Read a task and its comments", problems: [404] } },
  "/api/tasks/{id}/claim": { tag: "Tasks", post: { summary: "Claim a task", problems: [404, 409] } },
  "/api/tasks/{id}/complete": {
    tag: "Tasks",
    post: {
      summary: "Complete a task with its form's data (validated against the task's form schema)",
      body: { type: "object", description: "The task form's values; `outcome` names the chosen outcome." },
      problems: [404, 409],
    },
  },
  "/api/tasks/{id}/delegate": {
    tag: "Tasks",
    post: { summary: "Hand a task to another user", body: object({ to: text }, ["to"]), problems: [404, 409] },
  },
  "/api/tasks/{id}/comments": {
    tag: "Tasks",
    post: { summary: "Comment on a task", status: 201, body: object({ body: text }, ["body"]), problems: [404] },
  },
  "/api/notifications": {
    tag: "Notifications",
    get: {
      summary: "My notifications, newest first, with the unread count (`unread=1`: only unread ones)",
      query: { unread: { type: "boolean" }, limit: { type: "integer", minimum: 1, maximum: 200 } },
      response: object({ data: { type: "array", items: { type: "object" } }, unread: { type: "integer" } }),
    },
  },
  "/api/notifications/unread-count": {
    tag: "Notifications",
    get: { summary: "How many of my notifications are unread", response: object({ unread: { type: "integer" } }) },
  },
  "/api/notifications/read-all": {
    tag: "Notifications",
    post: { summary: "Mark all my notifications read", response: object({ marked: { type: "integer" } }) },
  },
  "/api/notifications/{id}/read": {
    tag: "Notifications",
    post: { summary: "Mark one of my notifications read", problems: [404] },
  },
  "/api/sync/connectors": {
    tag: "Sync",
    get: { summary: "The connectors this Kehu has, each with its connection spec (administrators)", response: list },
  },
  "/api/sync/connections": {
    tag: "Sync",
    get: { summary: "Sync connections (secrets never shown)", response: list },
    post: { summary: "Add a connection", status: 201, body: plain(syncConnectionSchema), problems: [409] },
  },
  "/api/sync/connections/{name}": {
    tag: "Sync",
    get: { summary: "Read a connection", problems: [404] },
    put: { summary: "Replace a connection", body: plain(syncConnectionSchema), problems: [404] },
    delete: {
      summary:
        "Delete a connection with its mappings, links and checkpoints (runs and ledger stay); refused while it runs",
      status: 204,
      response: null,
      problems: [404, 409],
    },
  },
  "/api/sync/connections/{name}/check": {
    tag: "Sync",
    post: { summary: "Check that the connection reaches the system and list its streams", problems: [404] },
  },
  "/api/sync/mappings": {
    tag: "Sync",
    get: { summary: "Stream ⇄ entity mappings", response: list },
    post: { summary: "Add a mapping", status: 201, body: plain(syncMappingSchema), problems: [409] },
  },
  "/api/sync/mappings/{name}": {
    tag: "Sync",
    get: { summary: "Read a mapping", problems: [404] },
    put: { summary: "Replace a mapping", body: plain(syncMappingSchema), problems: [404] },
    delete: { summary: "Delete a mapping", status: 204, response: null, problems: [404] },
  },
  "/api/sync/runs": {
    tag: "Sync",
    get: { summary: "Sync runs, newest first", query: { connection: text }, response: list },
    post: {
      summary: "Start a run of a connection's streams",
      status: 202,
      body: object({ connection: text, streams: { type: "array", items: text }, full: { type: "boolean" } }, [
        "connection",
      ]),
      problems: [404, 409],
    },
  },
  "/api/sync/runs/{id}": { tag: "Sync", get: { summary: "Read a run", problems: [404] } },
  "/api/sync/runs/{id}/cancel": {
    tag: "Sync",
    post: { summary: "Cancel a running run", status: 202, problems: [404, 409] },
  },
  "/api/sync/runs/{id}/replay": {
    tag: "Sync",
    post: {
      summary: "Run a finished run again from its starting state",
      status: 202,
      body: object({ state: { type: "object" } }),
      problems: [404],
    },
  },
  "/api/sync/runs/{id}/events": {
    tag: "Sync",
    get: {
      summary: "A run's progress as server-sent events (`progress`, then `end`)",
      response: { type: "string", contentMediaType: "text/event-stream" },
      problems: [404],
    },
  },
  "/api/sync/replay": {
    tag: "Sync",
    post: {
      summary: "Pull one record again from the system, or push one CRM record again",
      body: {
        oneOf: [
          object({ connection: text, stream: text, externalKey: text }, ["connection", "stream", "externalKey"]),
          object({ mapping: text, recordId: uuid }, ["mapping", "recordId"]),
        ],
      },
      problems: [404],
    },
  },
  "/api/sync/conflicts": {
    tag: "Sync",
    get: { summary: "Conflicts between CRM and ERP changes", query: { status: text }, response: list },
  },
  "/api/sync/conflicts/{id}": { tag: "Sync", get: { summary: "Read a conflict", problems: [404] } },
  "/api/sync/conflicts/{id}/resolve": {
    tag: "Sync",
    post: {
      summary: "Settle a conflict: keep the CRM's values, the ERP's, or custom ones",
      body: object({ take: { type: "string", enum: ["crm", "erp", "custom"] }, values: { type: "object" } }, ["take"]),
      problems: [404, 409],
    },
  },
  "/api/sync/dead-letters": {
    tag: "Sync",
    get: {
      summary:
        "Records a run could not write, kept for retry; `replaced`: superseded by a newer letter of the same record (replacedBy)",
      query: {
        connection: text,
        mapping: text,
        status: { type: "string", enum: [...SYNC_DEAD_LETTER_STATUSES] },
        run: uuid,
        limit: { type: "integer", minimum: 1, maximum: 1000 },
      },
      response: list,
    },
  },
  "/api/sync/ledger": {
    tag: "Sync",
    get: {
      summary:
        "Each record's passage through the runs, newest first: of a run (run), of one record (record or externalKey), by outcome",
      query: {
        run: uuid,
        record: uuid,
        externalKey: text,
        connection: text,
        stream: text,
        mapping: text,
        entity: text,
        direction: { type: "string", enum: ["pull", "push"] },
        outcome: LEDGER_OUTCOME,
        limit: { type: "integer", minimum: 1, maximum: 1000 },
        before: text,
      },
      response: pageOf(LEDGER_ENTRY),
    },
  },
  "/api/sync/dead-letters/{id}": { tag: "Sync", get: { summary: "Read a dead letter", problems: [404] } },
  "/api/sync/dead-letters/{id}/retry": {
    tag: "Sync",
    post: { summary: "Write a dead letter's record again", problems: [404, 409] },
  },
  "/api/sync/dead-letters/{id}/discard": {
    tag: "Sync",
    post: { summary: "Give up on a dead letter", problems: [404, 409] },
  },
  "/api/openapi.json": {
    tag: "Docs",
    get: { summary: "This OpenAPI 3.1 document, generated from the current metadata" },
  },
  "/api/docs": {
    tag: "Docs",
    get: { summary: "The API reference page", response: { type: "string", contentMediaType: "text/html" } },
  },
  "/api/docs/assets/{file}": {
    tag: "Docs",
    get: { summary: "A script or style sheet of the reference page", response: { type: "string" }, problems: [404] },
  },
};

function operationObject(path: string, method: Method, tag: string, op: Operation): OpenApiObject {
  const status = String(op.status ?? 200);
  const success: OpenApiObject =
    op.response === null
      ? { description: "Done." }
      : op.response?.contentMediaType
        ? {
            description: "OK.",
            content: { [op.response.contentMediaType as string]: { schema: { type: "string" } } },
          }
        : { description: "OK.", content: json(op.response ?? { type: "object" }) };
  const parts = path.split("/").filter((p) => p.startsWith("{"));
  return {
    tags: [tag],
    operationId: `${tag.toLowerCase()}.${method}${path
      .replace(/^\/api/, "")
      .replace(/[{}]/g, "")
      .split(/[/.-]/)
      .filter(Boolean)
      .map((p) => p[0].toUpperCase() + p.slice(1))
      .join("")}`,
    summary: op.summary,
    parameters: [
      ...parts.map((p) => ({ name: p.slice(1, -1), in: "path", required: true, schema: { type: "string" } })),
      ...Object.entries(op.query ?? {}).map(([name, schema]) => ({ name, in: "query", schema })),
    ],
    ...(op.body && { requestBody: { required: true, content: json(op.body) } }),
    responses: {
      [status]: success,
      ...problemResponses(400, ...(op.body ? ([413, 415] as const) : []), ...(op.problems ?? [])),
    },
  };
}

/** The paths of every route besides the entity routes: auth, admin, currencies, audit, reports, forms, revisions,
 * workflows, tasks, sync and the docs. */
export function platformPaths(): Record<string, OpenApiObject> {
  const paths: Record<string, OpenApiObject> = {};
  for (const [path, { tag, ...methods }] of Object.entries(OPERATIONS)) {
    const item: OpenApiObject = {};
    for (const [method, op] of Object.entries(methods) as Array<[Method, Operation]>)
      item[method] = operationObject(path, method, tag, op);
    paths[path] = item;
  }
  return paths;
}
