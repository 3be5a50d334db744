import type { EntityDefinition } from "@kehu/schema";

const ID = "0b7c6f2e-4d7a-4c1e-9a57-3f3e5d1c2a10";

export const FIXTURE_CUSTOMER: EntityDefinition = {
  name: "customer",
  label: { en: "Customer", zh: "客户" },
  titleField: "name",
  fields: [
    { id: "f-name", name: "name", type: "text", required: true, label: { en: "Name", zh: "名称" } },
    {
      id: "f-tier",
      name: "tier",
      type: "enum",
      label: { en: "Tier", zh: "等级" },
      values: [{ value: "gold", label: { en: "Gold", zh: "金牌" } }, "general"],
    },
    { id: "f-credit", name: "credit", type: "money", label: { en: "Credit", zh: "信用额度" } },
    { id: "f-tags", name: "tags", type: "multienum", values: ["vip", "new"] },
    { id: "f-parent", name: "parent", type: "reference", target: "customer", onDelete: "setNull" },
    { id: "f-number", name: "number", type: "autonumber", pattern: "C-{0000}" },
    { id: "f-active", name: "active", type: "boolean" },
    { id: "f-seen", name: "seen", type: "datetime" },
  ],
};

export const FIXTURE_RECORD = {
  id: ID,
  version: 2,
  name: "华为",
  tier: "gold",
  credit: { amount: "1200.00", currency: "CNY" },
  tags: ["vip"],
  parent: null,
  number: "C-0001",
  active: true,
  seen: "2026-01-02T03:04:05Z",
};

/**
 * A fetch answering the studio's API calls from fixtures, like a signed-in admin (or nobody, when `signedIn` is
 * false); validation errors come back as problem+json for any create.
 */
export function fixtureFetch(signedIn: boolean): typeof fetch {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  return async (input, init) => {
    const url = new URL(String(input), "http://studio.test");
    const method = init?.method ?? "GET";
    const path = url.pathname;
    if (path === "/api/auth/me")
      return signedIn
        ? json({ user: { id: "u1", login: "ada", locale: "zh-CN", isAdmin: true }, csrfToken: "c" })
        : json({ type: "about:blank", title: "Unauthorized", status: 401, detail: "Log in" }, 401);
    if (path === "/api/auth/login")
      return json(
        {
          type: "https://kehu.dev/problems/unauthorized",
          title: "Unauthorized",
          status: 401,
          detail: "Wrong login or password",
        },
        401,
      );
    if (path === "/api/meta/entities") return json({ data: [FIXTURE_CUSTOMER] });
    const admin =
      adminFixture(path, method) ??
      workflowFixture(path, method) ??
      syncFixture(path, method) ??
      dashboardFixture(path, method);
    if (admin !== undefined) return json(admin);
    if (path === "/api/meta/entities/customer" && method === "GET")
      return json({ definition: FIXTURE_CUSTOMER, revision: 2 });
    const sent = init?.body ? JSON.parse(String(init.body)) : undefined;
    const unnamed = sent?.fields?.findIndex((f: { name: string }) => !f.name) ?? -1;
    if (path === "/api/meta/entities/customer" && unnamed >= 0)
      return json(
        {
          type: "https://kehu.dev/problems/validation-failed",
          title: "Validation failed",
          status: 400,
          errors: [{ path: `/fields/${unnamed}/name`, message: "must match pattern" }],
        },
        400,
      );
    if (path === "/api/meta/entities/customer" && url.searchParams.get("dryRun"))
      return json({
        dryRun: true,
        plan: {
          entity: "customer",
          destructive: true,
          steps: [{ kind: "drop_field", field: "tags", description: "Drop field tags", destructive: true, sql: [] }],
        },
      });
    if (path === "/api/meta/entities/customer/revisions")
      return json({ data: [{ id: 1, actor: "ada", at: "2026-01-01T00:00:00Z", action: "create", summary: ["x"] }] });
    if (path === "/api/data/customer" && method === "GET") return json({ data: [FIXTURE_RECORD], nextCursor: "n" });
    if (path === "/api/data/customer" && method === "POST")
      return json(
        {
          type: "https://kehu.dev/problems/validation-failed",
          title: "Validation failed",
          status: 400,
          detail: "The customer record is not valid",
          errors: [{ path: "/name", message: "is required" }],
        },
        400,
      );
    if (path === `/api/data/customer/${ID}`) return json(FIXTURE_RECORD);
    if (path === "/api/audit")
      return json({
        data: [
          {
            id: "1",
            at: "2026-01-01T00:00:00Z",
            actorLogin: "ada",
            channel: "studio",
            action: "update",
            changes: { tier: { old: "general", new: "gold" } },
          },
        ],
        nextCursor: null,
      });
    return json({ type: "about:blank", title: "Not Found", status: 404, detail: `No route for ${path}` }, 404);
  };
}

export const FIXTURE_RECORD_ID = ID;

const ADMIN_ROLE = { id: "r1", name: "sales", label: { en: "Sales", zh: "销售" }, description: null };
const ADMIN_USER = {
  id: "u2",
  login: "bo",
  displayName: "Bo",
  email: null,
  locale: "zh-CN",
  active: true,
  isAdmin: false,
  departmentId: "d1",
  roleIds: ["r1"],
};

/** The admin API's answers (users, departments, roles, permissions), or undefined for other paths. */
function adminFixture(path: string, method: string): unknown {
  if (method !== "GET") return undefined;
  if (path === "/api/admin/users") return { data: [ADMIN_USER] };
  if (path === "/api/admin/departments")
    return {
      data: [{ id: "d1", name: "华东销售", code: null, parentId: null, children: [] }],
    };
  if (path === "/api/admin/roles") return { data: [ADMIN_ROLE] };
  if (path === "/api/auth/tokens")
    return {
      data: [
        {
          id: "t1",
          name: "erp-sync",
          access: "read",
          entities: null,
          createdAt: "2026-01-01T00:00:00Z",
          lastUsedAt: null,
          revokedAt: null,
        },
      ],
    };
  if (path === "/api/admin/roles/r1/permissions") return { entities: { customer: { read: "department" } }, fields: {} };
  return undefined;
}

const TASK = {
  id: "t1",
  instanceId: "i1",
  elementId: "review",
  name: "审批折扣",
  assignee: null,
  candidateUsers: [],
  candidateGroups: ["sales"],
  form: {
    formKey: null,
    schema: {
      type: "object",
      properties: { outcome: { enum: ["approve", "reject", "return"] }, discount: { title: "折扣", type: "integer" } },
      required: ["outcome"],
      additionalProperties: false,
    },
  },
  status: "open",
  outcome: null,
  data: null,
  completedBy: null,
  createdAt: "2026-01-02T03:04:05Z",
  completedAt: null,
  dueDate: "2026-01-05T03:04:05Z",
  overdue: true,
  followUpDate: null,
  priority: 50,
  subject: { processKey: "discount", entity: "customer", recordId: ID, businessKey: null },
};

/** The inbox's and the workflow tab's answers: one claimable task about the fixture record, its instance. */
function workflowFixture(path: string, method: string): unknown {
  if (method !== "GET") return undefined;
  if (path === "/api/tasks") return { data: [TASK] };
  if (path === "/api/tasks/t1") return { ...TASK, comments: [{ author: "bo", body: "请尽快", at: TASK.createdAt }] };
  if (path === "/api/workflows/instances")
    return {
      data: [
        {
          id: "i1",
          key: "discount",
          version: 1,
          status: "waiting",
          businessKey: null,
          entity: "customer",
          recordId: ID,
          variables: {},
          active: ["review"],
          error: null,
          startedBy: "bo",
          revision: 1,
          createdAt: TASK.createdAt,
          updatedAt: TASK.createdAt,
          endedAt: null,
        },
      ],
    };
  if (path === "/api/workflows/deployments")
    return {
      data: [
        {
          key: "discount",
          version: 1,
          name: "折扣审批",
          entity: "customer",
          createdBy: "bo",
          createdAt: TASK.createdAt,
        },
      ],
    };
  if (path === "/api/workflows/triggers")
    return {
      data: [
        {
          id: "tr1",
          key: "discount",
          kind: "record",
          entity: "customer",
          events: ["create"],
          condition: null,
          cron: null,
          enabled: true,
        },
      ],
    };
  if (path === "/api/workflows/instances/i1")
    return {
      ...(workflowFixture("/api/workflows/instances", "GET") as { data: object[] }).data[0],
      variables: { discount: 12 },
      tasks: [TASK],
      timers: [],
    };
  if (path === "/api/workflows/deployments/discount/1")
    return {
      key: "discount",
      version: 1,
      xml: '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="discount" name="折扣审批"><userTask id="review" name="审批折扣"/></process></definitions>',
    };
  if (path === "/api/workflows/instances/i1/history")
    return {
      data: [
        {
          at: TASK.createdAt,
          elementId: "s",
          elementType: "bpmn:StartEvent",
          event: "start",
          actor: "bo",
          detail: null,
        },
        {
          at: TASK.createdAt,
          elementId: "review",
          elementType: "bpmn:UserTask",
          event: "start",
          actor: "bo",
          detail: null,
        },
      ],
    };
  return undefined;
}

const AT = "2026-01-02T03:04:05Z";

/** The sync monitor's answers: one SAP-like connector and connection, a finished run, a failed record, a conflict. */
function syncFixture(path: string, method: string): unknown {
  if (method !== "GET") return undefined;
  if (path === "/api/sync/connectors")
    return {
      data: [
        {
          name: "sap-b1",
          label: { en: "SAP Business One", zh: "SAP 商业一号" },
          version: "1.0.0",
          config: {
            type: "object",
            required: ["baseUrl", "password"],
            properties: {
              baseUrl: { type: "string", format: "uri" },
              password: { type: "string", "x-secret": true },
              apiVersion: { enum: ["v1", "v2"], default: "v2" },
            },
          },
        },
      ],
    };
  if (path === "/api/sync/connections")
    return {
      data: [
        {
          name: "erp",
          label: null,
          connector: "sap-b1",
          config: { baseUrl: "https://sl.test", password: "********" },
          actAs: "sync.erp",
          schedule: null,
          enabled: true,
          streams: ["partners"],
          createdAt: AT,
          updatedAt: AT,
        },
      ],
    };
  if (path === "/api/sync/runs")
    return {
      data: [
        {
          id: "run1",
          connection: "erp",
          streams: ["partners"],
          mode: "incremental",
          trigger: "api",
          status: "failed",
          startedAt: AT,
          endedAt: AT,
          startedBy: "ada",
          read: 7,
          created: 5,
          updated: 0,
          unchanged: 0,
          failed: 2,
          conflicts: 1,
          skipped: 0,
          pages: 2,
          progress: null,
          error: "503 Service Unavailable",
        },
      ],
    };
  if (path === "/api/sync/dead-letters")
    return {
      data: [
        {
          id: 1,
          runId: "run1",
          direction: "pull",
          connection: "erp",
          stream: "partners",
          mapping: "erp_accounts",
          externalKey: "C20000",
          recordId: null,
          payload: {},
          reason: "credit: a currency is needed",
          issues: [{ path: "/credit", message: "a currency is needed" }],
          status: "open",
          createdAt: AT,
          closedAt: null,
          closedBy: null,
        },
      ],
    };
  if (path === "/api/sync/conflicts")
    return {
      data: [
        {
          id: 3,
          connection: "erp",
          stream: "partners",
          mapping: "erp_accounts",
          entity: "customer",
          recordId: ID,
          externalKey: "C10000",
          policy: "manual",
          status: "open",
          resolution: null,
          resolvedBy: null,
          resolvedAt: null,
          createdAt: AT,
          fields: [{ field: "phone", crm: "0571-1", erp: "0571-2", base: "0571-0" }],
          report: [],
        },
      ],
    };
  return undefined;
}

const TIER_REPORT = {
  key: "customers_by_owner",
  label: { en: "Customers by owner", zh: "按负责人统计客户" },
  query: {
    entity: "customer",
    groupBy: ["owner_id", "tier"],
    measures: [{ fn: "count" }, { fn: "sum", field: "credit" }],
  },
  chart: { type: "table" },
};

/** The dashboards API: one dashboard with a table report and a report its reader may not run. */
function dashboardFixture(path: string, method: string): unknown {
  if (method !== "GET") return undefined;
  const dashboard = {
    key: "customers",
    label: { en: "Customer overview", zh: "客户概览" },
    reports: ["customers_by_owner", "secret_margins"],
  };
  if (path === "/api/dashboards")
    return { data: [{ definition: dashboard, updatedBy: "ada", updatedAt: "2026-03-01T08:00:00.000Z" }] };
  if (path === "/api/dashboards/customers/data")
    return {
      dashboard,
      reports: [
        {
          key: "customers_by_owner",
          report: TIER_REPORT,
          rows: [{ owner_id: { id: "u2", title: "薄文" }, tier: "gold", count: 3, sum_credit: "12500.00" }],
          currency: "CNY",
        },
        {
          key: "secret_margins",
          problem: {
            type: "https://kehu.dev/problems/forbidden",
            title: "Forbidden",
            status: 403,
            detail: "No read permission on contract",
          },
        },
      ],
    };
  return undefined;
}
