import { AppError, type Issue } from "@kehu/core";
import type { Quorum } from "@kehu/schema";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../../metadata/registry";
import { schemaIssues } from "../schema-check";
import { durationMs } from "./approval-duration";

/** Who may approve at a level: named users, every active holder of a role, or the holder of a role in the submitter's department (walking up to parent departments). */
export interface ApproverSpec {
  users?: string[];
  roles?: string[];
  departmentRole?: string;
}

export type { Quorum } from "@kehu/schema";

export interface ApprovalLevelSpec {
  name: string;
  approvers: ApproverSpec;
  /** sequential: one approver at a time, in order; parallel: every approver of the level at once. */
  mode?: "sequential" | "parallel";
  /** any-of, all-of, or N of the level's M approvers. */
  quorum?: Quorum;
  /** ISO 8601 duration (days, hours, minutes) after which the level escalates. */
  sla?: string;
  escalateTo?: ApproverSpec;
}

export interface ApprovalTierSpec {
  name: string;
  /** The tier applies to amounts strictly above `above` and at most `upTo` (in the base currency for money). */
  above?: number;
  upTo?: number;
  /** Dimension values the record must have (any of the listed values per dimension). */
  when?: Record<string, string[]>;
  levels: ApprovalLevelSpec[];
}

export interface ApprovalStatusSpec {
  field: string;
  pending?: string;
  approved?: string;
  rejected?: string;
  withdrawn?: string;
}

export interface ApprovalMatrix {
  key: string;
  label?: { en: string; zh: string };
  entity: string;
  amountField: string;
  dimensions?: string[];
  status?: ApprovalStatusSpec;
  /** Ordered: the first tier whose amount range and dimension values match decides the chain. */
  tiers: ApprovalTierSpec[];
  enabled?: boolean;
}

const NAME = "^[a-z][a-z0-9_]{0,62}$";
const names = { type: "array", items: { type: "string", minLength: 1, maxLength: 120 }, minItems: 1 };
const approverSchema = {
  type: "object",
  properties: { users: names, roles: names, departmentRole: { type: "string", minLength: 1 } },
  additionalProperties: false,
  minProperties: 1,
};

export const APPROVAL_MATRIX_SCHEMA = {
  type: "object",
  properties: {
    key: { type: "string", pattern: NAME },
    label: {
      type: "object",
      properties: { en: { type: "string" }, zh: { type: "string" } },
      required: ["en", "zh"],
      additionalProperties: false,
    },
    entity: { type: "string", pattern: NAME },
    amountField: { type: "string", pattern: NAME },
    dimensions: { type: "array", items: { type: "string", pattern: NAME }, uniqueItems: true },
    status: {
      type: "object",
      properties: {
        field: { type: "string", pattern: NAME },
        pending: { type: "string", minLength: 1 },
        approved: { type: "string", minLength: 1 },
        rejected: { type: "string", minLength: 1 },
        withdrawn: { type: "string", minLength: 1 },
      },
      required: ["field"],
      additionalProperties: false,
    },
    tiers: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        properties: {
          name: { type: "string", minLength: 1, maxLength: 120 },
          above: { type: "number" },
          upTo: { type: "number" },
          when: { type: "object", additionalProperties: names },
          levels: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              properties: {
                name: { type: "string", minLength: 1, maxLength: 120 },
                approvers: approverSchema,
                mode: { enum: ["sequential", "parallel"] },
                quorum: { oneOf: [{ enum: ["any", "all"] }, { type: "integer", minimum: 1 }] },
                sla: { type: "string", minLength: 2 },
                escalateTo: approverSchema,
              },
              required: ["name", "approvers"],
              additionalProperties: false,
            },
          },
        },
        required: ["name", "levels"],
        additionalProperties: false,
      },
    },
    enabled: { type: "boolean" },
  },
  required: ["key", "entity", "amountField", "tiers"],
  additionalProperties: false,
} as const;

const AMOUNT_TYPES = new Set(["integer", "decimal", "money"]);

async function approverIssues(knex: Knex, spec: ApproverSpec | undefined, path: string): Promise<Issue[]> {
  if (!spec) return [];
  const issues: Issue[] = [];
  const roleNames = [...(spec.roles ?? []), ...(spec.departmentRole ? [spec.departmentRole] : [])];
  const knownRoles = new Set<string>(
    roleNames.length ? await knex("kehu.roles").whereIn("name", roleNames).pluck("name") : [],
  );
  spec.roles?.forEach((r, i) => {
    if (!knownRoles.has(r)) issues.push({ path: `${path}/roles/${i}`, message: `no role "${r}"` });
  });
  if (spec.departmentRole && !knownRoles.has(spec.departmentRole))
    issues.push({ path: `${path}/departmentRole`, message: `no role "${spec.departmentRole}"` });
  const logins = spec.users ?? [];
  const known = new Set(
    (logins.length
      ? await knex("kehu.users")
          .whereRaw(
            `lower(login) IN (${logins.map(() => "?").join(", ")})`,
            logins.map((l) => l.toLowerCase()),
          )
          .pluck("login")
      : []
    ).map((l: string) => l.toLowerCase()),
  );
  logins.forEach((l, i) => {
    if (!known.has(l.toLowerCase())) issues.push({ path: `${path}/users/${i}`, message: `no user "${l}"` });
  });
  return issues;
}

/**
 * Checks a matrix definition: its JSON shape, then what it names (entity, amount and dimension fields, roles, users),
 * tier ranges, quorums and SLA durations. Throws `validation_failed` with every problem at its JSON pointer.
 */
export async function parseApprovalMatrix(
  knex: Knex,
  registry: MetadataRegistry,
  body: unknown,
): Promise<ApprovalMatrix> {
  const shape = schemaIssues(APPROVAL_MATRIX_SCHEMA, body);
  if (shape.length) throw new AppError("validation_failed", "The approval matrix is not valid", shape);
  const m = body as ApprovalMatrix;
  const issues: Issue[] = [];
  const entity = registry.get(m.entity);
  if (!entity) issues.push({ path: "/entity", message: `no entity "${m.entity}"` });
  const field = (name: string) => entity?.fields.find((f) => f.name === name);
  if (entity) {
    const amount = field(m.amountField);
    if (!amount || !AMOUNT_TYPES.has(amount.type))
      issues.push({
        path: "/amountField",
        message: `"${m.amountField}" is not a number or money field of ${m.entity}`,
      });
    m.dimensions?.forEach((d, i) => {
      if (!field(d)) issues.push({ path: `/dimensions/${i}`, message: `no field "${d}" on ${m.entity}` });
    });
    if (m.status && !field(m.status.field))
      issues.push({ path: "/status/field", message: `no field "${m.status.field}" on ${m.entity}` });
  }
  for (const [t, tier] of m.tiers.entries()) {
    const at = `/tiers/${t}`;
    if (tier.above !== undefined && tier.upTo !== undefined && tier.above >= tier.upTo)
      issues.push({ path: `${at}/upTo`, message: `upTo (${tier.upTo}) must be above "above" (${tier.above})` });
    for (const dim of Object.keys(tier.when ?? {}))
      if (!m.dimensions?.includes(dim))
        issues.push({ path: `${at}/when/${dim}`, message: `"${dim}" is not one of the matrix's dimensions` });
    for (const [l, level] of tier.levels.entries()) {
      const lp = `${at}/levels/${l}`;
      issues.push(...(await approverIssues(knex, level.approvers, `${lp}/approvers`)));
      issues.push(...(await approverIssues(knex, level.escalateTo, `${lp}/escalateTo`)));
      if (level.sla !== undefined && durationMs(level.sla) === undefined)
        issues.push({
          path: `${lp}/sla`,
          message: `"${level.sla}" is not an ISO 8601 duration in weeks, days, hours, minutes or seconds (PT24H, P3D)`,
        });
      if (level.escalateTo && level.sla === undefined)
        issues.push({ path: `${lp}/sla`, message: "escalateTo needs an sla (when to escalate)" });
      const fixed = level.approvers.users?.length ?? 0;
      const onlyUsers = !level.approvers.roles && !level.approvers.departmentRole;
      if (typeof level.quorum === "number" && onlyUsers && level.quorum > fixed)
        issues.push({
          path: `${lp}/quorum`,
          message: `a quorum of ${level.quorum} needs at least ${level.quorum} approvers (the level names ${fixed})`,
        });
    }
  }
  if (issues.length) throw new AppError("validation_failed", "The approval matrix is not valid", issues);
  return m;
}
