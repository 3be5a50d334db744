import { AppError, isUuid } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { entityTable } from "../storage/identifiers";
import { loadPermissionSet, type PermissionAction, SCOPES, type Scope } from "./permission-model";
import type { Principal } from "./principal";
import { scopePredicate } from "./record-scope";
import { principalColumns, principalOf } from "./user-principal";

/** One rule that took part in a decision. */
export interface ExplainStep {
  rule: "admin" | "role_scope" | "no_grant" | "record" | "field";
  role?: string;
  scope?: Scope;
  field?: string;
  matches: boolean;
  detail: string;
}

export interface Decision {
  allowed: boolean;
  chain: ExplainStep[];
}

export interface Explanation {
  user: { id: string; login: string; isAdmin: boolean; departmentId: string | null };
  entity: string;
  id: string;
  field?: string;
  read: Decision;
  update: Decision;
}

const SCOPE_TEXT: Record<Scope, string> = {
  own: "records the user owns",
  department: "records of the user's department",
  department_tree: "records of the user's department and the departments below it",
  all: "all records",
};

/**
 * Why a user may or may not read and update one record (and one field of it): the chain of admin, role, scope and
 * field rules that decided. Permissions are allow-lists, so "no role grants it" is a reason too.
 */
export async function explainAccess(
  knex: Knex,
  entity: EntityDefinition,
  query: { user: string; id: string; field?: string },
): Promise<Explanation> {
  const principal = await loadPrincipal(knex, query.user);
  if (query.field !== undefined && !entity.fields.some((f) => f.name === query.field))
    throw new AppError("unknown_field", `${entity.name} has no field "${query.field}"`, [
      { path: "/field", message: "unknown field" },
    ]);
  const row = isUuid(query.id) ? await recordMatches(knex, entity, principal, query.id) : undefined;
  const base = {
    user: {
      id: principal.userId,
      login: principal.login,
      isAdmin: principal.isAdmin,
      departmentId: principal.departmentId,
    },
    entity: entity.name,
    id: query.id,
    ...(query.field === undefined ? {} : { field: query.field }),
  };
  const missing: ExplainStep = { rule: "record", matches: false, detail: "no live record has this id" };
  if (principal.isAdmin) {
    const admin: ExplainStep = { rule: "admin", matches: true, detail: "administrators may do everything" };
    const decision = row ? { allowed: true, chain: [admin] } : { allowed: false, chain: [admin, missing] };
    return { ...base, read: decision, update: decision };
  }
  if (!row)
    return { ...base, read: { allowed: false, chain: [missing] }, update: { allowed: false, chain: [missing] } };
  const perms = (await loadPermissionSet(knex, principal.roleIds)).entity(entity.name);
  const decide = (action: PermissionAction): Decision => {
    const grants = perms.grants.filter((g) => g.action === action);
    if (!grants.length)
      return {
        allowed: false,
        chain: [{ rule: "no_grant", matches: false, detail: `no role of the user grants ${action} on ${entity.name}` }],
      };
    const chain: ExplainStep[] = grants.map((g) => ({
      rule: "role_scope",
      role: g.roleName,
      scope: g.scope,
      matches: row[g.scope],
      detail: `role ${g.roleName} grants ${action} on ${SCOPE_TEXT[g.scope]}; this record ${row[g.scope] ? "is" : "is not"} one`,
    }));
    let allowed = chain.some((s) => s.matches);
    if (query.field !== undefined) {
      const denied = (action === "read" ? perms.hidden : perms.readOnly).has(query.field);
      const rules = perms.fieldRules.filter((r) => r.field === query.field);
      chain.push({
        rule: "field",
        field: query.field,
        matches: !denied,
        detail: rules.length
          ? `field rules: ${rules.map((r) => `${r.roleName} read=${r.canRead} write=${r.canWrite}`).join("; ")}`
          : "no field rule restricts this field",
      });
      allowed &&= !denied;
    }
    return { allowed, chain };
  };
  const read = decide("read");
  const update = decide("update");
  if (!read.allowed && update.allowed) {
    update.allowed = false;
    update.chain.push({ rule: "record", matches: false, detail: "a record the user cannot read cannot be updated" });
  }
  return { ...base, read, update };
}

async function loadPrincipal(knex: Knex, user: string): Promise<Principal> {
  const q = knex("kehu.users as u").select(principalColumns(knex)).first();
  if (isUuid(user)) q.where("u.id", user);
  else q.whereRaw("lower(u.login) = lower(?)", [user]);
  const row = await q;
  if (!row) throw new AppError("not_found", `No user ${JSON.stringify(user)}`);
  return principalOf(row, "api");
}

/** Whether the record falls in each scope for this principal, or undefined when there is no live record. */
async function recordMatches(
  knex: Knex,
  entity: EntityDefinition,
  principal: Principal,
  id: string,
): Promise<Record<Scope, boolean> | undefined> {
  const parts = SCOPES.map((s) => scopePredicate(s, entity, principal) ?? { sql: "TRUE", bindings: [] });
  const { rows } = await knex.raw(
    `SELECT ${parts.map((p, i) => `${p.sql} AS s${i}`).join(", ")} FROM ${entityTable(entity.name)} WHERE id = ? AND deleted_at IS NULL`,
    [...parts.flatMap((p) => p.bindings), id],
  );
  if (!rows.length) return undefined;
  return Object.fromEntries(SCOPES.map((s, i) => [s, rows[0][`s${i}`] === true])) as Record<Scope, boolean>;
}
