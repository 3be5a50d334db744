import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { transferOwnership } from "../../security/ownership-transfer";
import { entityTableRef } from "../../storage/identifiers";
import type { ServiceCall, WorkflowService } from "../workflow-service";

interface Candidate {
  id: string;
  login: string;
}

async function candidatesOf(trx: Knex, input: Record<string, unknown>): Promise<Candidate[]> {
  const q = trx("kehu.users as u").where("u.active", true).orderBy("u.login").select("u.id", "u.login");
  if (input.users !== undefined) {
    const logins = (Array.isArray(input.users) ? input.users : String(input.users).split(",")).map((s) =>
      String(s).trim(),
    );
    q.whereIn("u.login", logins);
  } else
    q.whereExists((s) =>
      s
        .from("kehu.user_roles as ur")
        .join("kehu.roles as r", "r.id", "ur.role_id")
        .whereRaw("ur.user_id = u.id")
        .where("r.name", String(input.role)),
    );
  return q;
}

// One counter row per pool: the upsert locks it until the step commits, so concurrent decisions queue up in turn.
async function nextTurn(trx: Knex, pool: string): Promise<number> {
  const { rows } = await trx.raw(
    `INSERT INTO kehu.wf_assign_counters (pool, next) VALUES (?, 1)
     ON CONFLICT (pool) DO UPDATE SET next = kehu.wf_assign_counters.next + 1 RETURNING next`,
    [pool],
  );
  return Number(rows[0].next);
}

async function openCounts(trx: Knex, entity: string, candidates: Candidate[]): Promise<Map<string, number>> {
  const rows: Array<{ owner_id: string; n: string }> = await trx(entityTableRef(entity))
    .whereIn(
      "owner_id",
      candidates.map((c) => c.id),
    )
    .whereNull("deleted_at")
    .groupBy("owner_id")
    .select("owner_id", trx.raw("count(*) AS n"));
  return new Map(rows.map((r) => [r.owner_id, Number(r.n)]));
}

async function decide(call: ServiceCall, candidates: Candidate[], strategy: string) {
  const { trx, input } = call;
  const pool = String(
    input.pool ?? (input.users !== undefined ? `users:${candidates.map((c) => c.login)}` : `role:${input.role}`),
  );
  const turn = await nextTurn(trx, pool);
  if (strategy === "roundRobin") {
    const chosen = candidates[(turn - 1) % candidates.length];
    return { chosen, trace: { strategy, pool, turn, candidates: candidates.map((c) => c.login) } };
  }
  if (!input.entity) throw new AppError("validation_failed", "leastOpen needs entity (whose open records to count)");
  const counts = await openCounts(trx, String(input.entity), candidates);
  const scored = candidates.map((c) => ({ login: c.login, open: counts.get(c.id) ?? 0 }));
  const best = scored.reduce((a, b) => (b.open < a.open ? b : a));
  const chosen = candidates.find((c) => c.login === best.login)!;
  return { chosen, trace: { strategy, pool, candidates: scored } };
}

/**
 * `assignOwner(role | users, strategy?, entity?, id?)`: picks an owner round-robin (fair under concurrency: a counter
 * row per pool, updated under lock) or by fewest open records, stores the decision trace, and, given an entity,
 * makes the pick the owner of the record (default: the instance's record). Returns `{owner, login, trace}`.
 */
export const assignOwnerService: WorkflowService = {
  name: "assignOwner",
  version: 1,
  description: "Chooses an owner from a role or a list of users (roundRobin or leastOpen) and assigns the record.",
  inputSchema: {
    type: "object",
    properties: {
      role: { type: "string" },
      users: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
      strategy: { enum: ["roundRobin", "leastOpen"] },
      pool: { type: "string" },
      entity: { type: "string" },
      id: { type: "string" },
    },
  },
  reads: (input) => (input.entity && !input.entity.includes("${") ? [{ entity: input.entity }] : []),
  async run(call) {
    const { trx, ctx, input, instance } = call;
    if (input.role === undefined && input.users === undefined)
      throw new AppError("validation_failed", "assignOwner needs role or users");
    const candidates = await candidatesOf(trx, input);
    if (!candidates.length) throw new AppError("validation_failed", "assignOwner found no active user to choose from");
    const strategy = String(input.strategy ?? "roundRobin");
    const { chosen, trace } = await decide(call, candidates, strategy);
    await trx("kehu.wf_assignments").insert({
      instance_id: instance.id,
      execution_id: call.executionId,
      strategy,
      chosen: chosen.login,
      trace: JSON.stringify(trace),
    });
    const recordId = input.id ?? (input.entity === instance.entity ? instance.recordId : undefined);
    if (input.entity && recordId) {
      const entity = ctx.registry.require(String(input.entity));
      await transferOwnership(
        trx,
        entity,
        { filter: { id: { eq: String(recordId) } }, toUser: chosen.id },
        call.principal,
      );
    }
    return { owner: chosen.id, login: chosen.login, trace };
  },
};
