import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { rowToRecord } from "../../records/record-codec";
import { transferOwnership } from "../../security/ownership-transfer";
import { entityTableRef } from "../../storage/identifiers";
import type { ServiceCall, WorkflowService } from "../workflow-service";
import { userList } from "./assign-candidates";
import { decideTerritory, pickAmong } from "./assign-decision";
import { liveSource } from "./assign-live-source";
import { managerOf } from "./assign-manager";
import { territoryRuleSet } from "./territory-rule-sets";
import { parseTerritoryTable, type TerritoryTable, type Within } from "./territory-rules";

type Input = Record<string, unknown>;

async function recordFor(trx: Knex, call: ServiceCall, entityName: string, id: string) {
  const entity = call.ctx.registry.require(entityName);
  const row = await trx(entityTableRef(entityName)).where({ id }).whereNull("deleted_at").first();
  if (!row) throw new AppError("not_found", `No ${entityName} record ${id} to assign`);
  return rowToRecord(entity, row) as Record<string, unknown>;
}

/** The table a territory decision uses: a stored rule set when one is stored under `ruleSet`, else the inline `rules`. */
export async function territoryTableOf(
  knex: Knex,
  input: Input,
  fields?: ReadonlySet<string>,
): Promise<{ table: TerritoryTable; ruleSource: string }> {
  if (typeof input.ruleSet === "string" && input.ruleSet) {
    const stored = await territoryRuleSet(knex, input.ruleSet);
    if (stored) return { table: stored, ruleSource: `ruleSet:${input.ruleSet}` };
  }
  if (input.rules === undefined)
    throw new AppError(
      "validation_failed",
      input.ruleSet
        ? `No territory rule set "${input.ruleSet}" is stored and no inline rules are given`
        : "territory needs rules or ruleSet",
    );
  return { table: parseTerritoryTable(input.rules, fields), ruleSource: "inline" };
}

/**
 * The record fields an inline territory table tests, so deleting one is refused while the workflow is deployed; a
 * table that is not valid refuses the deployment (422) instead of failing when the first lead arrives.
 */
function ruleFields(rules: string | undefined): string[] {
  if (!rules || rules.includes("${")) return [];
  try {
    const table = parseTerritoryTable(rules);
    return [...new Set(table.rules.flatMap((r) => Object.keys(r.when)))];
  } catch (e) {
    const issues = (e as AppError).issues ?? [];
    throw new AppError(
      "invalid_workflow",
      `assignOwner: ${(e as Error).message}`,
      issues.map((i) => ({ path: `/input/rules${i.path}`, message: i.message })),
    );
  }
}

async function decide(call: ServiceCall, strategy: string, recordId: string | undefined) {
  const { trx, input, instance } = call;
  const entity = input.entity === undefined ? undefined : String(input.entity);
  const source = liveSource(trx, entity);
  if (strategy === "territory") {
    if (!entity || !recordId)
      throw new AppError("validation_failed", "territory needs entity and the record (id) to match");
    const fields = new Set(call.ctx.registry.require(entity).fields.map((f) => f.name));
    const { table, ruleSource } = await territoryTableOf(trx, input, fields);
    const record = await recordFor(trx, call, entity, recordId);
    const poolPrefix = `territory:${String(input.pool ?? (ruleSource === "inline" ? instance.key : ruleSource))}`;
    return decideTerritory(source, table, record, {
      ruleSource,
      poolPrefix,
      within: input.within as Within | undefined,
    });
  }
  if (input.role === undefined && input.users === undefined && input.department === undefined)
    throw new AppError("validation_failed", "assignOwner needs role, users or department (or strategy territory)");
  if (strategy === "leastOpen" && !entity)
    throw new AppError("validation_failed", "leastOpen needs entity (whose open records to count)");
  const spec = {
    users: userList(input.users as string),
    role: input.role as string,
    department: input.department as string,
  };
  const pool = String(
    input.pool ??
      (spec.users
        ? `users:${spec.users}`
        : [spec.role && `role:${spec.role}`, spec.department && `department:${spec.department}`]
            .filter(Boolean)
            .join(";")),
  );
  const { chosen, ...pick } = await pickAmong(source, spec, strategy as Within, pool);
  return { chosen, trace: { strategy, ...pick } };
}

/**
 * `assignOwner`: picks an owner and makes them the owner of the record (given an entity; default: the instance's
 * record). Strategies: `roundRobin` (fair under concurrency: a counter row per pool, updated under lock),
 * `leastOpen` (fewest records held), `territory` (a rule table matching the record's fields — inline `rules` or a
 * stored `ruleSet` — then round-robin or least-open inside the matched users, with a fallback). Every decision stores
 * its trace (rule matched, candidates, load, who was skipped and why), readable per record. With `managerRole`, also
 * returns the owner's manager (nearest up the department tree) for escalations. Returns `{owner, login, manager?, trace}`.
 */
export const assignOwnerService: WorkflowService = {
  name: "assignOwner",
  version: 2,
  description:
    "Chooses an owner (roundRobin, leastOpen, or territory rules by record fields) and assigns the record; stores an explainable trace.",
  inputSchema: {
    type: "object",
    properties: {
      role: { type: "string" },
      users: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
      department: { type: "string" },
      strategy: { enum: ["roundRobin", "leastOpen", "territory"] },
      rules: { anyOf: [{ type: "string" }, { type: "object" }, { type: "array" }] },
      ruleSet: { type: "string" },
      within: { enum: ["roundRobin", "leastOpen"] },
      managerRole: { type: "string" },
      pool: { type: "string" },
      entity: { type: "string" },
      id: { type: "string" },
    },
  },
  reads: (input) => {
    if (!input.entity || input.entity.includes("${")) return [];
    return [{ entity: input.entity }, ...ruleFields(input.rules).map((field) => ({ entity: input.entity, field }))];
  },
  async run(call) {
    const { trx, ctx, input, instance } = call;
    const strategy = String(input.strategy ?? "roundRobin");
    const recordId =
      input.id !== undefined
        ? String(input.id)
        : input.entity === instance.entity
          ? (instance.recordId ?? undefined)
          : undefined;
    const { chosen, trace: decision } = await decide(call, strategy, recordId);
    if (!chosen)
      throw new AppError("validation_failed", "assignOwner found no active user to choose from", [], {
        trace: decision,
      });
    const manager =
      typeof input.managerRole === "string" ? await managerOf(trx, chosen.id, input.managerRole) : undefined;
    const trace = {
      ...decision,
      entity: input.entity ?? null,
      recordId: recordId ?? null,
      chosen: chosen.login,
      ...(manager === undefined ? {} : { manager }),
    };
    await trx("kehu.wf_assignments").insert({
      instance_id: instance.id,
      execution_id: call.executionId,
      strategy,
      chosen: chosen.login,
      trace: JSON.stringify(trace),
      at: call.now,
    });
    if (input.entity && recordId) {
      const entity = ctx.registry.require(String(input.entity));
      await transferOwnership(trx, entity, { filter: { id: { eq: recordId } }, toUser: chosen.id }, call.principal);
    }
    return { owner: chosen.id, login: chosen.login, ...(manager === undefined ? {} : { manager }), trace };
  },
};
