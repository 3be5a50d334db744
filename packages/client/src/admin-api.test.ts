import { describe, expect, it } from "vitest";
import { KehuApiError } from "./api-error";
import { KehuClient } from "./kehu-client";

function recording(answer: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ method: string; url: string; body: unknown; headers: Record<string, string> }> = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    calls.push({
      method: init.method ?? "GET",
      url: String(input),
      body: init.body ? JSON.parse(String(init.body)) : undefined,
      headers: init.headers as Record<string, string>,
    });
    return answer(String(input), init);
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("the admin API of the client", () => {
  it("sends the explainer query and the permission body where the engine expects them", async () => {
    const { calls, fetch } = recording(() => json({ data: [] }));
    const kehu = new KehuClient({ baseUrl: "http://k.test/", fetch, csrfToken: "c1" });
    await kehu.admin.explain({ user: "bo li", entity: "customer", id: "r1", field: "credit" });
    await kehu.admin.roles.setPermissions("role/1", {
      entities: { customer: { read: "department" } },
      fields: { customer: { credit: { read: true, write: false } } },
    });
    await kehu.admin.users.deactivate("u1");
    await kehu.tokens.revoke("t 1");
    expect(calls[0]).toMatchObject({
      method: "GET",
      url: "http://k.test/api/admin/explain?user=bo+li&entity=customer&id=r1&field=credit",
    });
    expect(calls[1]).toMatchObject({
      method: "PUT",
      url: "http://k.test/api/admin/roles/role%2F1/permissions",
      body: { entities: { customer: { read: "department" } } },
    });
    expect(calls[1].headers["x-csrf-token"]).toBe("c1");
    expect(calls[2]).toMatchObject({ method: "DELETE", url: "http://k.test/api/admin/users/u1" });
    expect(calls[3]).toMatchObject({ method: "DELETE", url: "http://k.test/api/auth/tokens/t%201" });
  });

  it("unwraps lists and throws the server's problem on a refused delete", async () => {
    const { fetch } = recording((_url, init) =>
      init.method === "DELETE"
        ? json({ type: "https://kehu.dev/problems/conflict", title: "Conflict", status: 409, detail: "has users" }, 409)
        : json({ data: [{ id: "d1", name: "Sales", children: [] }] }),
    );
    const kehu = new KehuClient({ baseUrl: "http://k.test", fetch });
    expect(await kehu.admin.departments.tree()).toEqual([{ id: "d1", name: "Sales", children: [] }]);
    const failure = await kehu.admin.departments.remove("d1").catch((e) => e);
    expect(failure).toBeInstanceOf(KehuApiError);
    expect((failure as KehuApiError).problem.detail).toBe("has users");
  });
});
