import { RecordStore } from "../../records/record-store";
import { canonicalJson } from "../../storage/canonical-json";
import { ScenarioError, type ScenarioWorld } from "./scenario-world";

type Values = Record<string, unknown>;

/** How a value reads in a failure line: text as is, lists in brackets, nothing as "nothing". */
export function shown(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(shown).join(", ")}]`;
  if (typeof v === "object") return canonicalJson(v);
  return String(v);
}

const numeric = (v: unknown) =>
  (typeof v === "number" || typeof v === "string") && v !== "" && Number.isFinite(Number(v));

/** Equal as a consultant means it: 100 = "100.00", an expected mapping is a subset of the actual one. */
export function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => sameValue(e, actual[i]))
    );
  if (typeof expected === "object")
    return (
      typeof actual === "object" &&
      actual !== null &&
      Object.entries(expected).every(([k, v]) => sameValue(v, (actual as Values)[k]))
    );
  if (numeric(expected) && numeric(actual) && typeof expected !== typeof actual)
    return Number(expected) === Number(actual);
  return String(expected) === String(actual) && typeof actual !== "object";
}

/** Every expected entry matches its own actual one, in any order, and none is left over. */
function sameAsSet(wanted: unknown[], got: unknown[]): boolean {
  const left = [...got];
  const allFound = wanted.every((w) => {
    const at = left.findIndex((g) => sameValue(w, g));
    return at >= 0 && left.splice(at, 1);
  });
  return allFound && left.length === 0;
}

const sorted = (list: unknown) => (Array.isArray(list) ? list.map(String).sort() : list);

/**
 * Checks one `expect` step; every mismatch becomes part of one ScenarioError:
 * `expected lead1.owner = sales02, got sales01`.
 */
export async function checkExpectations(world: ScenarioWorld, written: Values): Promise<void> {
  const expect = (await withRecordFields(world, written)) as Values;
  const misses: string[] = [];
  const check = (what: string, expected: unknown, actual: unknown) => {
    if (!sameValue(expected, actual)) misses.push(`expected ${what} = ${shown(expected)}, got ${shown(actual)}`);
  };
  for (const [key, want] of Object.entries(expect)) {
    if (key.startsWith("$")) await checkRecord(world, key, want as Values, check);
    else if (key === "tasks")
      for (const [login, ids] of Object.entries(want as Values))
        check(`open tasks of ${login}`, sorted(ids), (await openTasksOf(world, login)).sort());
    else if (key === "assignee")
      for (const [task, login] of Object.entries(want as Values)) {
        const rows = await world
          .knex("kehu.wf_tasks")
          .where({ status: "open" })
          .where((q) => q.where({ element_id: task }).orWhere({ name: task }));
        check(`assignee of ${task}`, login, rows.length === 1 ? rows[0].assignee : rows.map((r) => r.assignee));
      }
    else if (key === "notifications")
      for (const [login, titles] of Object.entries(want as Values)) {
        const rows = await world
          .knex("kehu.wf_notifications")
          .where({ user_login: login })
          .orderBy("created_at")
          .orderBy("id");
        if (Array.isArray(titles) && titles.some((t) => typeof t === "object")) {
          // `{ title, body }` entries check what the notification says, not only its title.
          const wanted = titles.map((t) => (typeof t === "object" ? t : { title: t }));
          const got = rows.map((r) => ({ title: r.title, body: r.body }));
          if (!sameAsSet(wanted, got)) check(`notifications of ${login}`, wanted, got);
        } else check(`notifications of ${login}`, sorted(titles), rows.map((r) => r.title as string).sort());
      }
    else if (key === "emails") {
      const rows = await world.knex("kehu.outbox").where({ kind: "email" }).orderBy("id").pluck("payload");
      const got = rows.map((p: Values) => ({ to: p.to, subject: p.subject }));
      const wanted = Array.isArray(want) ? want : [want];
      if (!sameAsSet(wanted, got)) check("emails", wanted, got);
    } else if (key === "timers") {
      const got = await world.knex("kehu.wf_timers").where({ status: "pending" }).pluck("element_id");
      check("pending timers", sorted(want), got.sort());
    } else if (key === "instance") await checkInstance(world, want, check, (m) => misses.push(m));
  }
  if (misses.length) throw new ScenarioError(misses.join("; "));
}

const QUOTED_FIELD = /\{\$(\w+)\.(\w+)\}/g;

/**
 * Expected values with `{$ht.number}` replaced by that field of a named record, for what a scenario cannot know in
 * advance (an autonumber takes the database's real date).
 */
async function withRecordFields(world: ScenarioWorld, value: unknown): Promise<unknown> {
  if (typeof value === "string") {
    let out = "";
    let last = 0;
    for (const m of value.matchAll(QUOTED_FIELD)) {
      out += value.slice(last, m.index) + shown(await fieldOf(world, m[1], m[2]));
      last = m.index + m[0].length;
    }
    return last ? out + value.slice(last) : value;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => withRecordFields(world, v)));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await withRecordFields(world, v)])),
    );
  return value;
}

async function fieldOf(world: ScenarioWorld, ref: string, field: string): Promise<unknown> {
  const { entity, id } = world.record(ref);
  const record = await new RecordStore(world.knex, world.engine.ctx.registry.require(entity)).get(id, {
    includeDeleted: true,
  });
  if (!(field in record)) throw new ScenarioError(`{$${ref}.${field}}: ${entity} has no field "${field}"`);
  return record[field];
}

async function checkRecord(
  world: ScenarioWorld,
  ref: string,
  want: Values,
  check: (what: string, expected: unknown, actual: unknown) => void,
) {
  if (typeof want !== "object" || want === null) throw new ScenarioError(`${ref}: expect a mapping of field values`);
  const { entity, id } = world.record(ref);
  const definition = world.engine.ctx.registry.require(entity);
  const record = await new RecordStore(world.knex, definition).get(id, { includeDeleted: true });
  const own = new Set(definition.fields.map((f) => f.name));
  const name = ref.replace(/^\$/, "");
  for (const [field, expected] of Object.entries(want)) {
    let actual: unknown = record[field];
    if (field === "owner" && !own.has("owner"))
      actual = record.owner_id
        ? ((await world.knex("kehu.users").where({ id: record.owner_id }).first("login"))?.login ?? record.owner_id)
        : null;
    else if (field === "department" && !own.has("department"))
      actual = record.department_id
        ? ((await world.knex("kehu.departments").where({ id: record.department_id }).first("code"))?.code ?? null)
        : null;
    else if (!own.has(field) && !(field in record))
      throw new ScenarioError(`${ref}: ${entity} has no field "${field}"`);
    const wanted = typeof expected === "string" && /^\$\w+$/.test(expected) ? world.record(expected).id : expected;
    if (!sameValue(wanted, actual)) check(`${name}.${field}`, expected, nameOf(world, actual));
  }
}

/** A record id shown as the scenario's name for it (`$cust1`), anything else as is. */
function nameOf(world: ScenarioWorld, value: unknown): unknown {
  for (const [name, r] of world.records) if (r.id === value) return `$${name}`;
  return value;
}

/** The element ids of the open tasks in a user's inbox: assigned to them, or unclaimed with them as a candidate. */
async function openTasksOf(world: ScenarioWorld, login: string): Promise<string[]> {
  const roles: string[] = await world
    .knex("kehu.user_roles as ur")
    .join("kehu.users as u", "u.id", "ur.user_id")
    .join("kehu.roles as r", "r.id", "ur.role_id")
    .where("u.login", login)
    .pluck("r.name");
  const open = await world.knex("kehu.wf_tasks").where({ status: "open" });
  return open
    .filter(
      (t) =>
        t.assignee === login ||
        (!t.assignee &&
          (t.candidate_users.includes(login) || t.candidate_groups.some((g: string) => roles.includes(g)))),
    )
    .map((t) => t.element_id as string);
}

async function checkInstance(
  world: ScenarioWorld,
  want: unknown,
  check: (what: string, expected: unknown, actual: unknown) => void,
  miss: (message: string) => void,
) {
  const spec = (typeof want === "string" ? { status: want } : want) as Values;
  const id = await world.instance(spec.of);
  const row = await world.knex("kehu.wf_instances").where({ id }).first();
  const label = `instance ${spec.of ? String(spec.of).replace(/^\$/, "") : row.key}`;
  if (spec.status !== undefined)
    check(`${label} status`, spec.status, row.status === "failed" ? `failed (${row.error})` : row.status);
  if (spec.active !== undefined) check(`${label} active`, sorted(spec.active), [...row.active].sort());
  if (spec.variables !== undefined)
    for (const [k, v] of Object.entries(spec.variables as Values))
      check(`${label} variable ${k}`, v, row.variables?.[k]);
  if (spec.passed === undefined && spec.skipped === undefined) return;
  const path: string[] = await world
    .knex("kehu.wf_history")
    .where({ instance_id: id, event: "end" })
    .orderBy("id")
    .pluck("element_id");
  for (const el of (spec.passed as string[] | undefined) ?? [])
    if (!path.includes(el)) miss(`expected ${label} to pass ${el}, got path ${shown(path)}`);
  for (const el of (spec.skipped as string[] | undefined) ?? [])
    if (path.includes(el)) miss(`expected ${label} not to pass ${el}, got path ${shown(path)}`);
}
