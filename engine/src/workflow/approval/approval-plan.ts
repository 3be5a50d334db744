import { AppError, isUuid } from "@kehu/core";
import type { EntityDefinition, PlannedLevel, PlannedSlot } from "@kehu/schema";
import type { Knex } from "knex";
import { baseCurrency } from "../../currency/currencies";
import { rateDaySql } from "../../currency/rate-day-sql";
import type { MetadataRegistry } from "../../metadata/registry";
import { currencyColumn, entityTableRef, quoteIdent } from "../../storage/identifiers";
import type { ApprovalMatrix, ApprovalStatusSpec, ApprovalTierSpec, ApproverSpec, Quorum } from "./approval-matrix";
import { actingFor } from "./approval-substitutes";

/** The resolved chain for one record: which tier matched, who approves in which order, and the reasons. */
export interface ApprovalPlan {
  matrix: string;
  revision: number;
  entity: string;
  recordId: string;
  submitter: string;
  amount: string | null;
  currency: string | null;
  baseAmount: number | null;
  baseCurrency: string;
  dimensions: Record<string, unknown>;
  tier: string | null;
  levels: PlannedLevel[];
  status: ApprovalStatusSpec | null;
  explanation: string[];
}

interface PlanInput {
  matrix: ApprovalMatrix;
  revision: number;
  recordId: string;
  /** Who submitted: a user login, or null to take the record's creator. */
  submitter: string | null;
  at: Date;
}

async function readRecord(knex: Knex, entity: EntityDefinition, amountField: string, id: string) {
  if (!isUuid(id)) throw new AppError("validation_failed", `"${id}" is not a record id`);
  const field = entity.fields.find((f) => f.name === amountField);
  const amount = quoteIdent(amountField);
  const base =
    field?.type === "money"
      ? `kehu.to_base("r".${amount}, "r".${quoteIdent(currencyColumn(amountField))}, ${rateDaySql(entity, "created_at", '"r"')})`
      : `"r".${amount}`;
  const { rows } = await knex.raw(
    `SELECT "r".*, (${base})::text AS "__base" FROM ${entityTableRef(entity.name)} AS "r" WHERE "r".id = ? AND "r".deleted_at IS NULL`,
    [id],
  );
  if (!rows.length) throw new AppError("not_found", `No ${entity.name} record ${id}`);
  const row = rows[0] as Record<string, unknown>;
  return {
    row,
    amount: row[amountField] === null || row[amountField] === undefined ? null : String(row[amountField]),
    currency: field?.type === "money" ? ((row[currencyColumn(amountField)] as string | null) ?? null) : null,
    base: row.__base === null ? null : Number(row.__base),
  };
}

const inRange = (tier: ApprovalTierSpec, amount: number) =>
  (tier.above === undefined || amount > tier.above) && (tier.upTo === undefined || amount <= tier.upTo);

function rangeText(tier: ApprovalTierSpec): string {
  if (tier.above !== undefined && tier.upTo !== undefined) return `above ${tier.above} and up to ${tier.upTo}`;
  if (tier.upTo !== undefined) return `up to ${tier.upTo}`;
  if (tier.above !== undefined) return `above ${tier.above}`;
  return "any amount";
}

function matchTier(matrix: ApprovalMatrix, amount: number, dims: Record<string, unknown>, why: string[]) {
  for (const tier of matrix.tiers) {
    const range = inRange(tier, amount);
    const misses = Object.entries(tier.when ?? {}).filter(([d, values]) => !values.includes(String(dims[d] ?? "")));
    if (range && !misses.length) {
      const when = Object.entries(tier.when ?? {}).map(([d, v]) => `${d} in [${v.join(", ")}]`);
      why.push(
        `tier "${tier.name}" matches: amount ${amount} is ${rangeText(tier)}${when.length ? `, ${when.join(", ")}` : ""}`,
      );
      return tier;
    }
    why.push(
      `tier "${tier.name}" skipped: ${range ? misses.map(([d, v]) => `${d} "${dims[d] ?? ""}" not in [${v.join(", ")}]`).join(", ") : `amount ${amount} is not ${rangeText(tier)}`}`,
    );
  }
  return undefined;
}

async function activeLogins(knex: Knex, logins: string[]): Promise<string[]> {
  if (!logins.length) return [];
  const rows = await knex("kehu.users")
    .where({ active: true })
    .whereRaw(
      `lower(login) IN (${logins.map(() => "?").join(", ")})`,
      logins.map((l) => l.toLowerCase()),
    )
    .pluck("login");
  const byLower = new Map(rows.map((l: string) => [l.toLowerCase(), l]));
  return logins.map((l) => byLower.get(l.toLowerCase())).filter((l): l is string => Boolean(l));
}

const holders = (knex: Knex, role: string) =>
  knex("kehu.users as u")
    .join("kehu.user_roles as ur", "ur.user_id", "u.id")
    .join("kehu.roles as r", "r.id", "ur.role_id")
    .where({ "u.active": true, "r.name": role })
    .orderBy("u.login");

/** The holders of `role` in the submitter's department, else its parent, and so on up. */
async function departmentRoleHolders(knex: Knex, role: string, submitter: string) {
  const user = await knex("kehu.users").whereRaw("lower(login) = lower(?)", [submitter]).first("department_id");
  let departmentId = (user?.department_id as string | null) ?? null;
  for (let depth = 0; departmentId && depth < 50; depth++) {
    const dept = await knex("kehu.departments").where({ id: departmentId }).first("name", "parent_id");
    const found: string[] = await holders(knex, role).where("u.department_id", departmentId).pluck("u.login");
    if (found.length) return { logins: found, why: `${role} of department ${dept.name}` };
    departmentId = dept.parent_id;
  }
  return { logins: [], why: `no ${role} in the department of ${submitter} or above it` };
}

/** The people an approver spec names, each with the reason. */
async function resolveApprovers(knex: Knex, spec: ApproverSpec, submitter: string) {
  const out: Array<{ login: string; why: string }> = [];
  for (const login of await activeLogins(knex, spec.users ?? [])) out.push({ login, why: "named in the matrix" });
  for (const role of spec.roles ?? [])
    for (const login of await holders(knex, role).pluck("u.login")) out.push({ login, why: `holds role ${role}` });
  if (spec.departmentRole) {
    const found = await departmentRoleHolders(knex, spec.departmentRole, submitter);
    for (const login of found.logins) out.push({ login, why: found.why });
  }
  const seen = new Set<string>();
  return out.filter((a) => !seen.has(a.login.toLowerCase()) && seen.add(a.login.toLowerCase()));
}

function required(quorum: Quorum, m: number): number {
  return quorum === "any" ? 1 : quorum === "all" ? m : quorum;
}

async function submitterOf(knex: Knex, given: string | null, row: Record<string, unknown>) {
  if (given) {
    const [login] = await activeLogins(knex, [given]);
    if (login) return { login, why: `submitted by ${login}` };
  }
  const creator = String(row.created_by ?? "");
  const [login] = await activeLogins(knex, [creator]);
  if (!login)
    throw new AppError("validation_failed", "Nobody to return the approval to: name a submitter (variable submitter)");
  return { login, why: `submitted by ${login} (the record's creator)` };
}

/**
 * Resolves the approval chain of a record from a matrix, as of `at`: the amount (in the base currency for money),
 * the first matching tier, and per level its approvers (users, role holders, the department's role holder), the
 * substitutes of those who are away, quorum, SLA and escalation target. Reads only; explains every choice.
 */
export async function planApproval(knex: Knex, registry: MetadataRegistry, input: PlanInput): Promise<ApprovalPlan> {
  const { matrix } = input;
  const entity = registry.require(matrix.entity);
  const record = await readRecord(knex, entity, matrix.amountField, input.recordId);
  const why: string[] = [];
  const submitter = await submitterOf(knex, input.submitter, record.row);
  why.push(submitter.why);
  const base = await baseCurrency(knex);
  const dims = Object.fromEntries((matrix.dimensions ?? []).map((d) => [d, record.row[d] ?? null]));
  const amount = record.base ?? 0;
  why.push(
    record.currency && record.currency !== base
      ? `amount ${record.amount} ${record.currency} is ${record.base} ${base} in the base currency`
      : `amount ${record.amount ?? "(empty, counted as 0)"}${record.currency ? ` ${record.currency}` : ""}`,
  );
  const tier = matchTier(matrix, amount, dims, why);
  const levels: PlannedLevel[] = [];
  for (const [index, spec] of (tier?.levels ?? []).entries()) {
    const slots: PlannedSlot[] = [];
    for (const a of await resolveApprovers(knex, spec.approvers, submitter.login)) {
      const chain = await actingFor(knex, a.login, input.at);
      const acts = chain[chain.length - 1];
      slots.push({
        approver: a.login,
        acts,
        why: chain.length > 1 ? `${a.why}; away, so ${chain.slice(1).join(" → ")} acts` : a.why,
        ...(chain.length > 1 ? { substitutedBy: chain.slice(1) } : {}),
      });
    }
    const quorum = spec.quorum ?? "any";
    const need = required(quorum, slots.length);
    const escalation = spec.escalateTo ? await resolveApprovers(knex, spec.escalateTo, submitter.login) : null;
    const level: PlannedLevel = {
      index,
      name: spec.name,
      mode: spec.mode ?? "sequential",
      quorum,
      required: need,
      slots,
      sla: spec.sla ?? null,
      escalateTo: escalation
        ? { logins: escalation.map((e) => e.login), why: escalation.map((e) => `${e.login} (${e.why})`).join(", ") }
        : null,
    };
    if (!slots.length) level.blocked = `level "${spec.name}" has no approver`;
    else if (need > slots.length)
      level.blocked = `level "${spec.name}" needs ${need} approvals but has ${slots.length} approvers`;
    why.push(
      `level ${index + 1} "${spec.name}" (${level.mode}, ${quorum === "any" ? "any one" : quorum === "all" ? "all" : `${quorum} of ${slots.length}`}): ${slots.map((s) => `${s.acts} (${s.why})`).join(", ") || "nobody"}${level.sla ? `; after ${level.sla} escalate to ${level.escalateTo?.why ?? "nobody"}` : ""}`,
    );
    if (level.blocked) why.push(`blocked: ${level.blocked}`);
    levels.push(level);
  }
  if (!tier) why.push("no tier matches: nothing to approve by this matrix");
  return {
    matrix: matrix.key,
    revision: input.revision,
    entity: matrix.entity,
    recordId: input.recordId,
    submitter: submitter.login,
    amount: record.amount,
    currency: record.currency,
    baseAmount: record.base,
    baseCurrency: base,
    dimensions: dims,
    tier: tier?.name ?? null,
    levels,
    status: matrix.status ?? null,
    explanation: why,
  };
}
