import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { formulaSelects } from "../../computed/formula-select";
import { evaluateExpression } from "../../expressions/compile-expression";
import { rowToRecord } from "../../records/record-codec";
import { entityTableRef } from "../../storage/identifiers";
import type { WorkflowService } from "../workflow-service";
import { departmentTree } from "./assign-candidates";

interface Line {
  title: string;
  cents: number;
}

interface OwnerTotal {
  login: string;
  departmentId: string | null;
  count: number;
  cents: number;
  lines: Line[];
}

const centsOf = (v: unknown) =>
  Math.round(Number(typeof v === "object" && v !== null ? (v as { amount: unknown }).amount : (v ?? 0)) * 100);
const money = (cents: number) =>
  (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

async function totalsByOwner(
  call: Parameters<WorkflowService["run"]>[0],
  entity: EntityDefinition,
  amountField: string,
  where: string | undefined,
): Promise<OwnerTotal[]> {
  const { trx } = call;
  const rows = await trx(entityTableRef(entity.name))
    .select("*", ...formulaSelects(trx, entity))
    .whereNull("deleted_at")
    .whereNotNull("owner_id");
  const users = new Map<string, { login: string; department_id: string | null }>(
    (await trx("kehu.users").select("id", "login", "department_id")).map((u) => [u.id, u]),
  );
  const byOwner = new Map<string, OwnerTotal>();
  for (const row of rows) {
    const record = rowToRecord(entity, row) as Record<string, unknown>;
    if (where && evaluateExpression(where, { ...record, record }, { now: () => call.now }) !== true) continue;
    const cents = centsOf(record[amountField]);
    if (cents <= 0) continue;
    const user = users.get(row.owner_id);
    if (!user) continue;
    const total = byOwner.get(user.login) ?? {
      login: user.login,
      departmentId: user.department_id,
      count: 0,
      cents: 0,
      lines: [],
    };
    total.count++;
    total.cents += cents;
    const title = entity.titleField ? record[entity.titleField] : record.id;
    total.lines.push({ title: String(title ?? record.id), cents });
    byOwner.set(user.login, total);
  }
  return [...byOwner.values()].sort((a, b) => a.login.localeCompare(b.login));
}

/**
 * `ownerStatement(entity, amount, where?, title, managerRole?)`: sums a field (e.g. a contract's outstanding amount)
 * over the live records that match `where`, per owner. Each owner gets a notification listing their records, largest
 * first; each active user with `managerRole` gets the per-owner totals of the owners in their department tree.
 * Returns `{total, owners: [{login, count, total}]}`.
 */
export const ownerStatementService: WorkflowService = {
  name: "ownerStatement",
  version: 1,
  description:
    "Sends each owner a statement of an amount over their records (e.g. outstanding), and managers a summary.",
  inputSchema: {
    type: "object",
    properties: {
      entity: { type: "string" },
      amount: { type: "string", minLength: 1 },
      where: { type: "string" },
      title: { type: "string", minLength: 1 },
      managerRole: { type: "string" },
    },
    required: ["entity", "amount", "title"],
  },
  reads: (input) =>
    input.entity && !input.entity.includes("${")
      ? [{ entity: input.entity, ...(input.amount ? { field: input.amount } : {}) }]
      : [],
  async run(call) {
    const { trx, ctx, input, instance } = call;
    const entity = ctx.registry.require(String(input.entity));
    const amountField = String(input.amount);
    if (!entity.fields.some((f) => f.name === amountField))
      throw new AppError("validation_failed", `ownerStatement: ${entity.name} has no field "${amountField}"`);
    const owners = await totalsByOwner(call, entity, amountField, input.where as string | undefined);
    const title = String(input.title);
    const notes = owners.map((o) => ({
      user_login: o.login,
      title,
      body: [
        ...o.lines.sort((a, b) => b.cents - a.cents).map((l) => `${l.title}: ${money(l.cents)}`),
        `Total (${o.count}): ${money(o.cents)}`,
      ].join("\n"),
      instance_id: instance.id,
    }));
    if (typeof input.managerRole === "string") {
      const managers = await trx("kehu.users as u")
        .join("kehu.user_roles as ur", "ur.user_id", "u.id")
        .join("kehu.roles as r", "r.id", "ur.role_id")
        .where({ "r.name": input.managerRole, "u.active": true })
        .orderBy("u.login")
        .select(
          "u.login",
          "u.department_id",
          trx.raw("(SELECT code FROM kehu.departments d WHERE d.id = u.department_id) AS code"),
        );
      for (const m of managers) {
        const tree = m.code ? new Set(await departmentTree(trx, m.code)) : new Set<string>();
        const team = owners.filter((o) => o.departmentId && tree.has(o.departmentId));
        if (!team.length) continue;
        const cents = team.reduce((s, o) => s + o.cents, 0);
        const body = [
          ...team.map((o) => `${o.login}: ${money(o.cents)} (${o.count})`),
          `Team total: ${money(cents)}`,
        ].join("\n");
        notes.push({ user_login: m.login, title: `${title} — team`, body, instance_id: instance.id });
      }
    }
    if (notes.length) await trx("kehu.wf_notifications").insert(notes);
    const total = owners.reduce((s, o) => s + o.cents, 0);
    return {
      total: (total / 100).toFixed(2),
      owners: owners.map((o) => ({ login: o.login, count: o.count, total: (o.cents / 100).toFixed(2) })),
    };
  },
};
