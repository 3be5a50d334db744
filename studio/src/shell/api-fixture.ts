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
    const admin = adminFixture(path, method) ?? workflowFixture(path, method);
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
