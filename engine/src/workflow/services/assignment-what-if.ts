import { AppError, type Issue } from "@kehu/core";
import type { Knex } from "knex";
import type { EngineContext } from "../../engine-context";
import { rowToRecord } from "../../records/record-codec";
import { entityTableRef } from "../../storage/identifiers";
import { type Candidate, candidatesOf } from "./assign-candidates";
import { type DecisionSource, decideTerritory } from "./assign-decision";
import { openCounts } from "./assign-live-source";
import { territoryRuleSet } from "./territory-rule-sets";
import { parseTerritoryTable, type TerritoryTable, type Within } from "./territory-rules";

const DAY = 86_400_000;

export interface WhatIfRequest {
  entity: string;
  /** The changed table to try; or `ruleSet`, a stored one. */
  rules?: unknown;
  ruleSet?: string;
  within?: Within;
  /** The window of decisions replayed: the last `days` days (default 30) up to now, or since/until. */
  days?: number;
  since?: string;
  until?: string;
}

export interface WhatIfRecord {
  id: string;
  title: string | null;
  decidedAt: string;
  before: string;
  after: string | null;
  rule: string | null;
  changed: boolean;
}

export interface WhatIfReport {
  entity: string;
  since: string;
  until: string;
  ruleSource: string;
  decisions: number;
  changed: number;
  records: WhatIfRecord[];
  owners: Array<{ login: string; before: number; after: number; delta: number }>;
}

function requestOf(body: unknown, ctx: EngineContext): WhatIfRequest {
  const b = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  if (typeof b.entity !== "string" || !ctx.registry.get(b.entity))
    issues.push({ path: "/entity", message: "entity must name an entity" });
  if (b.rules === undefined && typeof b.ruleSet !== "string")
    issues.push({ path: "/rules", message: "give the rules to try (or ruleSet, a stored one)" });
  if (b.within !== undefined && b.within !== "roundRobin" && b.within !== "leastOpen")
    issues.push({ path: "/within", message: "within must be roundRobin or leastOpen" });
  if (b.days !== undefined && !(Number.isInteger(b.days) && (b.days as number) > 0 && (b.days as number) <= 366))
    issues.push({ path: "/days", message: "days must be 1 to 366" });
  for (const k of ["since", "until"])
    if (b[k] !== undefined && (typeof b[k] !== "string" || Number.isNaN(Date.parse(b[k] as string))))
      issues.push({ path: `/${k}`, message: `${k} must be an ISO date-time` });
  for (const k of Object.keys(b))
    if (!["entity", "rules", "ruleSet", "within", "days", "since", "until"].includes(k))
      issues.push({ path: `/${k}`, message: "unknown property" });
  if (issues.length) throw new AppError("validation_failed", "The what-if request is not valid", issues);
  return b as unknown as WhatIfRequest;
}

async function tableOf(knex: Knex, req: WhatIfRequest, fields: ReadonlySet<string>) {
  if (req.rules !== undefined) return { table: parseTerritoryTable(req.rules, fields), ruleSource: "proposed" };
  const stored = await territoryRuleSet(knex, req.ruleSet as string);
  if (!stored)
    throw new AppError("not_found", `No territory rule set "${req.ruleSet}"`, [
      { path: "/ruleSet", message: "not stored" },
    ]);
  return { table: stored, ruleSource: `ruleSet:${req.ruleSet}` };
}

/** Decisions replayed in memory: real users and loads, simulated turns, and each simulated pick adds to its user's load. */
function simulatedSource(
  knex: Knex,
  entity: string,
  replayed: string[],
): DecisionSource & { assign(c: Candidate): void } {
  const turns = new Map<string, number>();
  const added = new Map<string, number>();
  // Users and the loads outside the replayed records do not change during a run: each is read once.
  const users = new Map<string, ReturnType<typeof candidatesOf>>();
  const bases = new Map<string, Promise<Map<string, number>>>();
  return {
    candidates(spec) {
      const key = JSON.stringify([spec.users, spec.role, spec.department]);
      if (!users.has(key)) users.set(key, candidatesOf(knex, spec));
      return users.get(key) as ReturnType<typeof candidatesOf>;
    },
    async turn(pool) {
      const next = (turns.get(pool) ?? 0) + 1;
      turns.set(pool, next);
      return next;
    },
    async loads(candidates) {
      const key = candidates.map((c) => c.id).join(",");
      if (!bases.has(key)) bases.set(key, openCounts(knex, entity, candidates, replayed));
      const base = await (bases.get(key) as Promise<Map<string, number>>);
      return new Map(candidates.map((c) => [c.id, (base.get(c.id) ?? 0) + (added.get(c.id) ?? 0)]));
    },
    assign(c) {
      added.set(c.id, (added.get(c.id) ?? 0) + 1);
    },
  };
}

/**
 * What a changed territory table would have done: replays the records of an entity that got an assignOwner decision
 * in the window (last decision per record, oldest first) through the table, without writing anything, and reports
 * per record the owner then → the owner now, and per owner how many records they got before and would get after.
 */
export async function whatIfAssignments(ctx: EngineContext, body: unknown, now: Date): Promise<WhatIfReport> {
  const req = requestOf(body, ctx);
  const knex = ctx.db.knex;
  const entity = ctx.registry.require(req.entity);
  const { table, ruleSource }: { table: TerritoryTable; ruleSource: string } = await tableOf(
    knex,
    req,
    new Set(entity.fields.map((f) => f.name)),
  );
  const until = req.until ? new Date(req.until) : now;
  const since = req.since ? new Date(req.since) : new Date(until.getTime() - (req.days ?? 30) * DAY);
  const rows: Array<{ chosen: string; at: Date; record_id: string }> = await knex("kehu.wf_assignments")
    .whereRaw("trace->>'entity' = ?", [entity.name])
    .whereRaw("trace->>'recordId' IS NOT NULL")
    .where("at", ">=", since)
    .where("at", "<=", until)
    .orderBy("id")
    .select("chosen", "at", knex.raw("trace->>'recordId' AS record_id"));
  const last = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    last.delete(r.record_id);
    last.set(r.record_id, r);
  }
  const ids = [...last.keys()];
  const records = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < ids.length; i += 500) {
    const found = await knex(entityTableRef(entity.name))
      .whereIn("id", ids.slice(i, i + 500))
      .whereNull("deleted_at");
    for (const row of found) records.set(row.id, rowToRecord(entity, row) as Record<string, unknown>);
  }
  const source = simulatedSource(knex, entity.name, ids);
  const report: WhatIfRecord[] = [];
  for (const [id, decision] of last) {
    const record = records.get(id);
    if (!record) continue;
    const { chosen, trace } = await decideTerritory(source, table, record, {
      ruleSource,
      poolPrefix: "what-if",
      within: req.within,
    });
    if (chosen) source.assign(chosen);
    const title = entity.titleField ? record[entity.titleField] : null;
    report.push({
      id,
      title: title === null || title === undefined ? null : String(title),
      decidedAt: new Date(decision.at).toISOString(),
      before: decision.chosen,
      after: chosen?.login ?? null,
      rule: trace.rule,
      changed: chosen?.login !== decision.chosen,
    });
  }
  const totals = new Map<string, { before: number; after: number }>();
  const bump = (login: string | null, side: "before" | "after") => {
    if (!login) return;
    const t = totals.get(login) ?? { before: 0, after: 0 };
    t[side]++;
    totals.set(login, t);
  };
  for (const r of report) {
    bump(r.before, "before");
    bump(r.after, "after");
  }
  return {
    entity: entity.name,
    since: since.toISOString(),
    until: until.toISOString(),
    ruleSource,
    decisions: report.length,
    changed: report.filter((r) => r.changed).length,
    records: report,
    owners: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([login, t]) => ({ login, ...t, delta: t.after - t.before })),
  };
}
