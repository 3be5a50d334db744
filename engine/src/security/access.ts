import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { SqlFragment } from "../storage/query-fields";
import { derivedHidden, type EntityLookup } from "./derived-hidden";
import { loadPermissionSet, type PermissionAction, type PermissionSet, type Scope } from "./permission-model";
import { type Principal, SYSTEM_PRINCIPAL } from "./principal";
import { scopePredicate } from "./record-scope";

const NOTHING: ReadonlySet<string> = new Set();

/**
 * What one principal may do, for one request: scopes per entity and action, hidden and read-only fields. Admins (and
 * Kehu itself) may do everything; anyone else only what their roles grant (allow-lists: nothing without a grant).
 */
export class Access {
  private readonly hiddenCache = new Map<string, ReadonlySet<string>>();

  private constructor(
    readonly principal: Principal,
    private readonly permissions: PermissionSet | undefined,
    private readonly lookup: EntityLookup,
  ) {}

  /** The access of a principal; `lookup` gives the entity definitions, so computed fields over hidden ones hide too. */
  static async load(knex: Knex, principal: Principal, lookup: EntityLookup): Promise<Access> {
    if (principal.isAdmin) return new Access(principal, undefined, lookup);
    return new Access(principal, await loadPermissionSet(knex, principal.roleIds), lookup);
  }

  get isAdmin(): boolean {
    return this.permissions === undefined;
  }

  /** The scope of an action on an entity, or undefined when it is not granted (API token limits included). */
  scopeOf(entity: string, action: PermissionAction): Scope | undefined {
    const token = this.principal.token;
    if (token?.entities && !token.entities.includes(entity)) return undefined;
    if (token && token.access === "read" && action !== "read") return undefined;
    if (!this.permissions) return "all";
    return this.permissions.entity(entity).scopes[action];
  }

  /** The scope of an action, or a 403 when the principal may not take it at all. */
  require(entity: string, action: PermissionAction): Scope {
    const scope = this.scopeOf(entity, action);
    if (scope === undefined) throw new AppError("forbidden", `You may not ${action} ${entity} records`);
    return scope;
  }

  /** Whether the principal may do anything with an entity (see its metadata, its OpenAPI section). */
  canUse(entity: string): boolean {
    return (["read", "create", "update", "delete"] as const).some((a) => this.scopeOf(entity, a) !== undefined);
  }

  /** The SQL predicate of the records an action may touch (403 when not granted); undefined means all records. */
  predicate(entity: EntityDefinition, action: PermissionAction, qualifier?: string): SqlFragment | undefined {
    return scopePredicate(this.require(entity.name, action), entity, this.principal, qualifier);
  }

  /** The same predicate as a knex `where` callback, for `listRecords` and `RecordStore`. */
  where(entity: EntityDefinition, action: PermissionAction): ((qb: Knex.QueryBuilder) => void) | undefined {
    const p = this.predicate(entity, action);
    return p && ((qb) => qb.whereRaw(p.sql, p.bindings));
  }

  /** Fields the principal may not see: hidden by a rule, or computed from such a field. */
  hidden(entity: string): ReadonlySet<string> {
    const permissions = this.permissions;
    if (!permissions) return NOTHING;
    let hidden = this.hiddenCache.get(entity);
    if (!hidden) {
      const definition = this.lookup(entity);
      const byRule = (name: string) => permissions.entity(name).hidden;
      hidden = definition ? derivedHidden(definition, byRule, this.lookup) : byRule(entity);
      this.hiddenCache.set(entity, hidden);
    }
    return hidden;
  }

  readOnly(entity: string): ReadonlySet<string> {
    return this.permissions?.entity(entity).readOnly ?? NOTHING;
  }

  /** Removes hidden fields from a record, in place. */
  strip<T extends Record<string, unknown>>(entity: string, record: T): T {
    for (const name of this.hidden(entity)) delete record[name];
    return record;
  }

  /**
   * Refuses a body that sets a field the principal may not write: a hidden field as unknown (400, its existence is
   * not confirmed), a visible read-only one as 403 naming it.
   */
  assertWritable(entity: string, body: unknown, path = ""): void {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return;
    const keys = Object.keys(body);
    const hidden = keys.filter((k) => this.hidden(entity).has(k));
    if (hidden.length)
      throw new AppError(
        "validation_failed",
        `Unknown fields: ${hidden.join(", ")}`,
        hidden.map((k) => ({ path: `${path}/${k}`, message: "unknown field" })),
      );
    const refused = keys.filter((k) => this.readOnly(entity).has(k));
    if (refused.length)
      throw new AppError(
        "forbidden",
        `You may not set ${refused.map((k) => `"${k}"`).join(", ")} of ${entity} records`,
        refused.map((k) => ({ path: `${path}/${k}`, message: "you may not write this field" })),
      );
  }

  /** Owner and department of a record this principal creates (none for Kehu's own work). */
  stamp(): { owner_id: string | null; department_id: string | null } | undefined {
    if (this.principal.userId === SYSTEM_PRINCIPAL.userId) return undefined;
    return { owner_id: this.principal.userId, department_id: this.principal.departmentId };
  }
}
