import { AppError, type Issue } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { type Dec, dec } from "../../computed/exact-decimal";
import { formulaSelects } from "../../computed/formula-select";
import { rowToRecord } from "../../records/record-codec";
import { entityTableRef } from "../../storage/identifiers";
import type { WorkflowService } from "../workflow-service";
import { type ParetoTier, paretoTiers } from "./pareto-tiers";
import { workflowRecordStore } from "./workflow-record-store";

const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

/** A measure as an exact decimal: a decimal (string or number) or a money value's amount; anything else is none. */
function measureOf(value: unknown): Dec | null {
  const raw = typeof value === "object" && value !== null ? (value as { amount?: unknown }).amount : value;
  const text = typeof raw === "number" ? String(raw) : raw;
  return typeof text === "string" && DECIMAL.test(text) ? dec(text) : null;
}

function enumValues(entity: EntityDefinition, field: string): string[] | undefined {
  const f = entity.fields.find((x) => x.name === field);
  if (f?.type !== "enum") return undefined;
  return (f.values ?? []).map((v) => (typeof v === "object" && v !== null ? String(v.value) : String(v)));
}

/** The tiers of the inputs, or the issues that make them unusable on this entity. */
function tiersOf(entity: EntityDefinition, input: Record<string, unknown>): { tiers: ParetoTier[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const measure = String(input.measure);
  if (!entity.fields.some((f) => f.name === measure))
    issues.push({ path: "/input/measure", message: `${entity.name} has no field "${measure}"` });
  const allowed = enumValues(entity, String(input.tierField));
  if (!allowed)
    issues.push({
      path: "/input/tierField",
      message: `${entity.name}.${String(input.tierField)} is not an enum field`,
    });
  const tiers: ParetoTier[] = [];
  for (const [value, upTo] of Object.entries(input.tiers as Record<string, unknown>)) {
    const share = measureOf(upTo);
    if (!share || share.v <= 0n || Number(upTo) > 100)
      issues.push({
        path: `/input/tiers/${value}`,
        message: "must be a share of the total in percent, above 0 up to 100",
      });
    else tiers.push({ value, upTo: share });
  }
  for (const value of [...tiers.map((t) => t.value), String(input.rest)])
    if (allowed && !allowed.includes(value))
      issues.push({
        path: "/input/tierField",
        message: `"${value}" is not a value of ${entity.name}.${input.tierField}`,
      });
  return { tiers, issues };
}

/**
 * `classifyPareto(entity, measure, tierField, tiers, rest)`: the 20/80 rule. Ranks the live records of an entity by
 * a measure (a decimal, money, formula or rollup field, e.g. a customer's revenue), gives each record the tier whose
 * cumulative share of the total it falls in (`tiers.gold: 80`, `tiers.potential: 95`; see `paretoTiers` for ties and
 * zeros) and `rest` to the others, and writes the tiers that changed as the workflow (audited) in the step's one
 * transaction. Returns `{total, changed, counts: {gold: 12, …}}`.
 */
export const classifyParetoService: WorkflowService = {
  name: "classifyPareto",
  version: 1,
  description: "Sets a tier field on every record by the 20/80 rule on a measure (cumulative share of the total).",
  inputSchema: {
    type: "object",
    properties: {
      entity: { type: "string" },
      measure: { type: "string" },
      tierField: { type: "string" },
      tiers: {
        type: "object",
        minProperties: 1,
        additionalProperties: { type: ["string", "number"], pattern: "^[0-9]+(\\.[0-9]+)?$" },
      },
      rest: { type: "string" },
    },
    required: ["entity", "measure", "tierField", "tiers", "rest"],
  },
  reads: (input) =>
    input.entity && !input.entity.includes("${")
      ? [
          { entity: input.entity, field: input.measure },
          { entity: input.entity, field: input.tierField },
        ]
      : [],
  async run(call) {
    const entity = call.ctx.registry.require(String(call.input.entity));
    const { tiers, issues } = tiersOf(entity, call.input);
    if (issues.length)
      throw new AppError(
        "validation_failed",
        `${call.elementId}: classifyPareto cannot classify ${entity.name}: ${issues.map((i) => i.message).join("; ")}`,
        issues,
      );
    const measure = String(call.input.measure);
    const tierField = String(call.input.tierField);
    const rows = await call
      .trx(entityTableRef(entity.name))
      .select("*", ...formulaSelects(call.trx, entity))
      .whereNull("deleted_at");
    const records = rows.map((row) => rowToRecord(entity, row) as Record<string, unknown>);
    const tierOf = paretoTiers(
      records.map((r) => ({ id: String(r.id), measure: measureOf(r[measure]) })),
      tiers,
      String(call.input.rest),
    );
    const store = await workflowRecordStore(call, entity.name);
    const counts: Record<string, number> = {};
    let changed = 0;
    for (const record of records) {
      const tier = tierOf.get(String(record.id)) as string;
      counts[tier] = (counts[tier] ?? 0) + 1;
      if (record[tierField] === tier) continue;
      await store.update(String(record.id), { [tierField]: tier }, undefined);
      changed++;
    }
    return { total: records.length, changed, counts };
  },
};
