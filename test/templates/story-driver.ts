import { applyTemplate, seedTemplate, startTestEngine, type TestEngine, VirtualClock } from "@kehu/engine/testing";
import { expect } from "vitest";

export type Task = { id: string; name: string; elementId: string; subject: { entity: string; recordId: string } };
// biome-ignore lint/suspicious/noExplicitAny: API records are asserted field by field
export type Row = Record<string, any>;

/**
 * A template's main story driven through the public API: the template applied with its seed data on a fresh engine,
 * an injected clock, and every call made as one of the demo users (`as`; none means the administrator). Each call
 * waits for the workflows it started, as a user would see their effect a moment later.
 */
export interface StoryDriver {
  engine: TestEngine;
  clock: VirtualClock;
  call(method: string, path: string, as: string | undefined, body?: unknown, expected?: number): Promise<Row>;
  create(entity: string, body: Row, as?: string): Promise<Row>;
  update(entity: string, id: string, body: Row, as: string): Promise<Row>;
  read(entity: string, id: string, as: string): Promise<Row>;
  list(entity: string, filter: Row, as: string): Promise<Row[]>;
  me(login: string): Promise<{ id: string; login: string }>;
  /** The open tasks in a user's inbox: assigned to them, or offered to them to claim (approval ballots). */
  inbox(login: string): Promise<Task[]>;
  inboxAbout(login: string, recordId: string): Promise<Task[]>;
  /** The notifications in a user's bell (GET /api/notifications), oldest first. */
  notificationsOf(login: string): Promise<Array<{ title: string; body: string | null }>>;
  /** Moves the injected clock to a moment and fires every workflow timer due by then (as the timer poller would). */
  at(iso: string): Promise<void>;
  close(): Promise<void>;
}

export async function openStory(template: string, startsAt: string): Promise<StoryDriver> {
  const engine = await startTestEngine();
  const clock = new VirtualClock(startsAt);
  engine.ctx.workflows!.clock = clock;
  await applyTemplate(engine.ctx, template);
  const tokens = await seedTemplate(engine.ctx, template);
  const settle = async () => expect((await engine.ctx.workflows!.drainStarts()).failed, "failed starts").toBe(0);

  const call: StoryDriver["call"] = async (method, path, as, body, expected = 200) => {
    const res = await engine.http(path, { method, body, ...(as ? { as: tokens[as] } : {}) });
    expect(res.status, `${method} ${path} as ${as ?? "admin"}: ${JSON.stringify(res.body)}`).toBe(expected);
    await settle();
    return res.body;
  };
  const inbox: StoryDriver["inbox"] = async (login) => {
    const mine = await call("GET", "/api/tasks?view=mine", login);
    const claimable = await call("GET", "/api/tasks?view=claimable", login);
    return [...mine.data, ...claimable.data];
  };
  return {
    engine,
    clock,
    call,
    create: (entity, body, as) => call("POST", `/api/data/${entity}`, as, body, 201),
    update: (entity, id, body, as) => call("PATCH", `/api/data/${entity}/${id}`, as, body),
    read: (entity, id, as) => call("GET", `/api/data/${entity}/${id}`, as),
    list: async (entity, filter, as) =>
      (await call("GET", `/api/data/${entity}?filter=${encodeURIComponent(JSON.stringify(filter))}`, as)).data,
    me: async (login) => (await call("GET", "/api/auth/me", login)).user,
    inbox,
    inboxAbout: async (login, recordId) => (await inbox(login)).filter((t) => t.subject?.recordId === recordId),
    notificationsOf: async (login) =>
      ((await call("GET", "/api/notifications?limit=200", login)).data as Row[])
        .map((n) => ({ title: n.title as string, body: n.body as string | null }))
        .reverse(),
    async at(iso) {
      clock.advance(new Date(iso).getTime() - clock.now().getTime());
      await engine.ctx.workflows!.fireDueTimers();
      await settle();
    },
    close: () => engine.close(),
  };
}
