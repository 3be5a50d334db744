import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser, startTestEngine, type TestEngine } from "../../testing";
import { bpmnXml, chain, inputs } from "../../workflow/test-bpmn";

let engine: TestEngine;
const tokens: Record<string, string> = {};

const xml = bpmnXml(
  `<startEvent id="s"/>
   <serviceTask id="tell" camunda:type="external" camunda:topic="notify">${inputs({
     to: "cai,amy",
     title: "Contract signed",
     body: "Collect the first instalment",
   })}</serviceTask>
   <userTask id="follow" name="Follow up" camunda:assignee="\${initiator}"/>
   <endEvent id="e"/>
   ${chain("s", "tell", "follow", "e")}`,
);

type Note = { id: string; title: string; body: string | null; taskId: string | null; readAt: string | null };
const as = (login: string) => ({ as: tokens[login] });
const notes = async (login: string, query = "") => {
  const res = await engine.http(`/api/notifications${query}`, as(login));
  expect(res.status).toBe(200);
  return res.body as { data: Note[]; unread: number };
};
const post = (path: string, login: string) => engine.http(path, { method: "POST", body: {}, ...as(login) });

beforeAll(async () => {
  engine = await startTestEngine();
  for (const login of ["amy", "ben", "cai"]) tokens[login] = (await createTestUser(engine.ctx, { login })).token;
  expect(
    (await engine.http("/api/workflows/deployments", { method: "POST", body: { key: "signed", xml } })).status,
  ).toBe(201);
});
afterAll(() => engine?.close());

describe("/api/notifications", () => {
  it("shows each user only their own notifications, linked to their open task, and marks them read", async () => {
    const started = await post("/api/workflows/signed/instances", "cai");
    expect(started.status).toBe(201);
    await post("/api/workflows/signed/instances", "cai");

    const cai = await notes("cai");
    expect(cai.unread).toBe(2);
    expect(cai.data).toHaveLength(2);
    expect(cai.data[0]).toMatchObject({ title: "Contract signed", body: "Collect the first instalment", readAt: null });
    expect(cai.data[0]).toMatchObject({ subject: { processKey: "signed" } });
    const [followUp] = (await engine.http("/api/tasks", as("cai"))).body.data as Array<{ id: string }>;
    expect(cai.data.map((n) => n.taskId)).toContain(followUp.id);
    const amy = await notes("amy");
    expect(amy.unread).toBe(2);
    expect(amy.data.every((n) => n.taskId === null)).toBe(true);
    expect(await notes("ben")).toEqual({ data: [], unread: 0 });

    expect((await post(`/api/notifications/${cai.data[0].id}/read`, "amy")).status).toBe(404);
    const read = await post(`/api/notifications/${cai.data[0].id}/read`, "cai");
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: cai.data[0].id, unread: 1 });
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await engine.http("/api/notifications/unread-count", as("cai"))).body).toEqual({ unread: 1 });
    expect((await notes("cai", "?unread=1")).data.map((n) => n.id)).toEqual([cai.data[1].id]);
    expect((await notes("amy")).unread).toBe(2);

    const all = await post("/api/notifications/read-all", "amy");
    expect(all.body).toEqual({ marked: 2, unread: 0 });
    expect((await notes("amy", "?unread=1")).data).toEqual([]);
    expect((await notes("cai")).unread).toBe(1);
  });

  it("refuses a bad id or limit with a problem", async () => {
    const missing = await post("/api/notifications/not-a-uuid/read", "cai");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/problem\+json/);
    const limit = await engine.http("/api/notifications?limit=5000", as("cai"));
    expect(limit.status).toBe(400);
    expect(limit.body.errors).toEqual([{ path: "/limit", message: "must be a whole number from 1 to 200" }]);
  });
});
