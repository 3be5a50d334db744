import { Cron } from "croner";
import type { Knex } from "knex";
import type { Engine } from "../../create-engine";
import { RecordStore } from "../../records/record-store";
import { referrersOf } from "../../records/referrers";
import { Access } from "../../security/access";
import { createDepartment } from "../../security/departments";
import { type Principal, SYSTEM_PRINCIPAL } from "../../security/principal";
import { recordHooksOf } from "../../security/record-hooks";
import { createRole } from "../../security/roles";
import { principalByLogin } from "../../security/user-principal";
import { createUser } from "../../security/users";
import { type TaskActor, taskActorOf } from "../task-actions";
import { VirtualClock } from "../virtual-clock";
import type { WorkflowRuntime } from "../workflow-runtime";
import type { GivenUser, Scenario } from "./scenario-file";

/** A step that cannot be taken as written (unknown name, refused action): the scenario fails with this message. */
export class ScenarioError extends Error {}

/** A record a scenario named: `$lead1`. */
export interface NamedRecord {
  entity: string;
  id: string;
}

/**
 * The running world of one scenario: an engine on its own database, a virtual clock, and the names the scenario gave
 * to records and instances. Every action goes through the same code as the API and the job queue.
 */
export class ScenarioWorld {
  readonly clock: VirtualClock;
  readonly records = new Map<string, NamedRecord>();
  readonly instances = new Map<string, string>();
  /** Instances in the order they appeared (the last is what `expect: instance` means by default). */
  readonly started: string[] = [];
  /** The scenario's `variables`, under every `start`'s own. */
  readonly scenarioVariables: Record<string, unknown>;

  constructor(
    readonly engine: Engine,
    scenario: Scenario,
  ) {
    this.scenarioVariables = scenario.variables;
    this.clock = new VirtualClock(scenario.clock);
    this.runtime.clock = this.clock;
  }

  get runtime(): WorkflowRuntime {
    return this.engine.ctx.workflows as WorkflowRuntime;
  }

  get knex(): Knex {
    return this.engine.ctx.db.knex;
  }

  /** Users (roles and departments created when missing), then named records, none of which fire triggers. */
  async given(scenario: Scenario): Promise<void> {
    for (const user of scenario.users) await this.createUser(user);
    for (const [entity, named] of Object.entries(scenario.records)) {
      const definition = this.engine.ctx.registry.get(entity);
      if (!definition) throw new ScenarioError(`given.records: no entity "${entity}" in the package`);
      for (const [name, fields] of Object.entries(named)) {
        const { $owner, ...values } = fields;
        const owner = typeof $owner === "string" ? await this.userRow($owner) : undefined;
        const stamp = owner ? { owner_id: owner.id, department_id: owner.department_id } : undefined;
        const store = new RecordStore(this.knex, definition, [], { stamp });
        const record = await this.attempt(`given.records.${entity}.${name}`, () =>
          store.create(this.resolve(values), "scenario"),
        );
        this.records.set(name, { entity, id: record.id as string });
      }
    }
  }

  private async createUser(u: GivenUser): Promise<void> {
    const roleIds: string[] = [];
    for (const name of u.roles ?? []) {
      const found = await this.knex("kehu.roles").where({ name }).first("id");
      roleIds.push(found?.id ?? (await createRole(this.knex, { name })).id);
    }
    let departmentId: string | null = null;
    if (u.department) {
      const found = await this.knex("kehu.departments").where({ code: u.department }).first("id");
      departmentId =
        found?.id ?? (await createDepartment(this.knex, { name: u.department, code: u.department, parentId: null })).id;
    }
    await createUser(this.knex, {
      login: u.login,
      displayName: u.name ?? u.login,
      email: u.email ?? null,
      isAdmin: u.admin ?? false,
      departmentId,
      roleIds,
    });
  }

  async userRow(login: string): Promise<{ id: string; department_id: string | null }> {
    const row = await this.knex("kehu.users").where({ login }).first("id", "department_id");
    if (!row) throw new ScenarioError(`no user "${login}" (add it under given.users)`);
    return row;
  }

  /** The principal of a user (`as:`), or Kehu itself when none is named. */
  async principal(login: unknown): Promise<Principal> {
    if (login === undefined) return { ...SYSTEM_PRINCIPAL, channel: "api" };
    const user = await principalByLogin(this.knex, String(login), "api");
    if (!user) throw new ScenarioError(`no user "${login}" (add it under given.users)`);
    return user.principal;
  }

  async taskActor(login: unknown): Promise<TaskActor> {
    return taskActorOf(this.knex, await this.principal(login));
  }

  /** A named record: `$lead1` (or `lead1`). */
  record(ref: unknown): NamedRecord {
    const name = String(ref).replace(/^\$/, "");
    const found = this.records.get(name);
    if (!found)
      throw new ScenarioError(
        `no record named $${name} (named: ${[...this.records.keys()].map((k) => `$${k}`).join(", ") || "none"})`,
      );
    return found;
  }

  /** Values with `$name` replaced by the id of that record (for reference fields). */
  resolve(values: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, typeof v === "string" && /^\$\w+$/.test(v) ? this.record(v).id : v]),
    );
  }

  /** A store of an entity acting as a principal: scopes, audit and record triggers as through the API. */
  async storeFor(entity: string, principal: Principal): Promise<RecordStore> {
    const definition = this.engine.ctx.registry.get(entity);
    if (!definition) throw new ScenarioError(`no entity "${entity}" in the package`);
    const access = await Access.load(this.knex, principal, (n) => this.engine.ctx.registry.get(n));
    return new RecordStore(
      this.knex,
      definition,
      referrersOf(this.engine.ctx.registry.list(), entity),
      recordHooksOf(access, definition),
    );
  }

  /** Runs what a write or a step queued (record-trigger starts) and learns the instances that appeared. */
  async settle(): Promise<void> {
    const { failed } = await this.runtime.drainStarts();
    if (failed) {
      const errors: string[] = await this.knex("kehu.outbox")
        .where({ kind: "workflow.start" })
        .whereNull("sent_at")
        .whereNotNull("last_error")
        .orderBy("id")
        .pluck("last_error");
      throw new ScenarioError(`a queued workflow start failed: ${errors.join("; ")}`);
    }
    const ids: string[] = await this.knex("kehu.wf_instances").orderBy("created_at").orderBy("id").pluck("id");
    for (const id of ids) if (!this.started.includes(id)) this.started.push(id);
  }

  /**
   * Moves the virtual clock to `target`, stopping at each pending timer's due time and each schedule trigger's cron
   * slot on the way, so what fires sees the time it fires at (a monthly cycle bills each month, not all at the end).
   */
  async advanceTo(target: Date): Promise<void> {
    const schedules = (await this.knex("kehu.wf_triggers").where({ kind: "schedule", enabled: true })).map((t) => ({
      id: t.id as string,
      cron: new Cron(t.cron, { timezone: "UTC", paused: true }),
    }));
    for (let round = 0; round < 100_000; round++) {
      await this.runtime.fireDueTimers();
      await this.settle();
      const now = this.clock.now();
      const timer = await this.knex("kehu.wf_timers")
        .where({ status: "pending" })
        .where("due_at", ">", now)
        .where("due_at", "<=", target)
        .min({ due: "due_at" })
        .first();
      const slots = schedules.map((s) => ({ id: s.id, at: s.cron.nextRun(now) }));
      const times = [timer?.due ? new Date(timer.due) : null, ...slots.map((s) => s.at)].filter(
        (d): d is Date => d !== null && d > now && d <= target,
      );
      if (!times.length) break;
      const next = new Date(Math.min(...times.map((d) => d.getTime())));
      this.clock.advance(next.getTime() - now.getTime());
      for (const s of slots) if (s.at && s.at.getTime() === next.getTime()) await this.runtime.startScheduled(s.id);
    }
    const now = this.clock.now();
    if (target > now) this.clock.advance(target.getTime() - now.getTime());
    await this.runtime.fireDueTimers();
    await this.settle();
  }

  /** The instance a step means: a named instance, the latest of a named record, or (none given) the latest. */
  async instance(ref: unknown): Promise<string> {
    await this.settle();
    if (ref === undefined) {
      const last = this.started.at(-1);
      if (!last) throw new ScenarioError("no workflow instance has started yet");
      return last;
    }
    const name = String(ref).replace(/^\$/, "");
    const named = this.instances.get(name);
    if (named) return named;
    const record = this.record(ref);
    const row = await this.knex("kehu.wf_instances")
      .where({ entity: record.entity, record_id: record.id })
      .orderBy("created_at", "desc")
      .first("id");
    if (!row) throw new ScenarioError(`no workflow instance was started for $${name}`);
    return row.id;
  }

  /** Turns an engine refusal into a scenario failure that names the step's subject. */
  async attempt<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (e) {
      if (e instanceof ScenarioError) throw e;
      const issues = (e as { issues?: Array<{ path: string; message: string }> }).issues ?? [];
      const detail = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
      throw new ScenarioError(`${what}: ${(e as Error).message}${detail ? ` (${detail})` : ""}`);
    }
  }
}
