import type { Knex } from "knex";

export const ACTIONS = ["create", "read", "update", "delete"] as const;
/** Narrowest first: a user's scope for an action is the widest one any of their roles grants. */
export const SCOPES = ["own", "department", "department_tree", "all"] as const;

export type PermissionAction = (typeof ACTIONS)[number];
export type Scope = (typeof SCOPES)[number];

/** One `kehu.role_permissions` row, with its role's name (for the explainer). */
export interface Grant {
  roleId: string;
  entity: string;
  roleName: string;
  action: PermissionAction;
  scope: Scope;
}

/** One `kehu.field_permissions` row, with its role's name. */
export interface FieldRule {
  roleId: string;
  entity: string;
  roleName: string;
  field: string;
  canRead: boolean;
  canWrite: boolean;
}

/** What a set of roles may do on one entity. */
export interface EntityPermissions {
  /** The widest scope per action; an absent action is not granted. */
  scopes: Partial<Record<PermissionAction, Scope>>;
  grants: Grant[];
  fieldRules: FieldRule[];
  /** Fields no role lets the user read: absent from responses, unknown to queries. */
  hidden: ReadonlySet<string>;
  /** Fields no role lets the user write (hidden ones included). */
  readOnly: ReadonlySet<string>;
}

/** The permissions of one set of roles, computed once per entity. */
export class PermissionSet {
  private readonly computed = new Map<string, EntityPermissions>();
  private readonly hiddenByDefinition = new WeakMap<object, ReadonlySet<string>>();

  constructor(
    private readonly grants: Grant[],
    private readonly fieldRules: FieldRule[],
  ) {}

  entity(name: string): EntityPermissions {
    let perms = this.computed.get(name);
    if (!perms) {
      perms = entityPermissions(
        this.grants.filter((g) => g.entity === name),
        this.fieldRules.filter((r) => r.entity === name),
      );
      this.computed.set(name, perms);
    }
    return perms;
  }

  /**
   * The hidden fields of an entity definition once computed fields are counted in, kept as long as this set and
   * that definition are in force (the registry replaces definitions when metadata changes).
   */
  hiddenOf(definition: object, compute: () => ReadonlySet<string>): ReadonlySet<string> {
    let hidden = this.hiddenByDefinition.get(definition);
    if (!hidden) {
      hidden = compute();
      this.hiddenByDefinition.set(definition, hidden);
    }
    return hidden;
  }

  /** Entities on which the roles grant any action. */
  entities(): Set<string> {
    return new Set(this.grants.map((g) => g.entity));
  }
}

/**
 * Field rules restrict per role: a role with no rows for an entity lets its users read and write every field; a role
 * with rows allows what its rows allow (fields without a row stay allowed). A field is hidden when no role that grants
 * anything on the entity allows reading it, read-only when none allows writing it.
 */
function entityPermissions(grants: Grant[], rules: FieldRule[]): EntityPermissions {
  const scopes: Partial<Record<PermissionAction, Scope>> = {};
  for (const g of grants) {
    const current = scopes[g.action];
    if (current === undefined || SCOPES.indexOf(g.scope) > SCOPES.indexOf(current)) scopes[g.action] = g.scope;
  }
  const roles = [...new Set(grants.map((g) => g.roleId))];
  const fields = new Set(rules.map((r) => r.field));
  const hidden = new Set<string>();
  const readOnly = new Set<string>();
  for (const field of fields) {
    const allows = (test: (r: FieldRule) => boolean) =>
      roles.some((role) => {
        const row = rules.find((r) => r.roleId === role && r.field === field);
        return row === undefined || test(row);
      });
    if (!allows((r) => r.canRead)) hidden.add(field);
    if (hidden.has(field) || !allows((r) => r.canRead && r.canWrite)) readOnly.add(field);
  }
  return { scopes, grants, fieldRules: rules, hidden, readOnly };
}

// The permissions version is read at most once a second per process and database; a change made in this process is
// seen at once (its writer calls forgetPermissionsVersion), a change made by another process within a second.
const VERSION_TTL_MS = 1000;
interface DatabaseCache {
  known?: { version: string; until: number; generation: number };
  sets: Map<string, { version: string; set: PermissionSet }>;
}
// Keyed by the knex config, which a database's transactions share with it: two databases in one process (tests)
// never see each other's version or sets.
const caches = new WeakMap<object, DatabaseCache>();
let generation = 0;

function cacheOf(knex: Knex): DatabaseCache {
  const known = caches.get(knex.client.config);
  if (known) return known;
  const cache: DatabaseCache = { sets: new Map() };
  caches.set(knex.client.config, cache);
  return cache;
}

/** Makes the next permission check read the version again: called after any change to role or field permissions. */
export function forgetPermissionsVersion(): void {
  generation++;
}

async function permissionsVersion(knex: Knex, now = Date.now()): Promise<string> {
  const cache = cacheOf(knex);
  const known = cache.known;
  if (known && known.until > now && known.generation === generation) return known.version;
  const { rows } = await knex.raw("SELECT version::text AS v FROM kehu.permissions_version WHERE id = 1");
  cache.known = { version: rows[0]?.v ?? "0", until: now + VERSION_TTL_MS, generation };
  return cache.known.version;
}

/**
 * The permissions of a set of roles, cached per role set and `kehu.permissions_version`, which triggers bump on
 * any change to role or field permissions (see `permissionsVersion` for how fresh the version is).
 */
export async function loadPermissionSet(knex: Knex, roleIds: readonly string[]): Promise<PermissionSet> {
  const key = [...roleIds].sort().join(",");
  const version = await permissionsVersion(knex);
  const { sets } = cacheOf(knex);
  const hit = sets.get(key);
  if (hit && hit.version === version) return hit.set;
  const set = roleIds.length ? await readPermissionSet(knex, roleIds) : new PermissionSet([], []);
  if (sets.size > 1000) sets.clear();
  sets.set(key, { version, set });
  return set;
}

async function readPermissionSet(knex: Knex, roleIds: readonly string[]): Promise<PermissionSet> {
  const grants = await knex("kehu.role_permissions as p")
    .join("kehu.roles as r", "r.id", "p.role_id")
    .whereIn("p.role_id", roleIds)
    .select({ roleId: "p.role_id", roleName: "r.name", entity: "p.entity", action: "p.action", scope: "p.scope" });
  const rules = await knex("kehu.field_permissions as f")
    .join("kehu.roles as r", "r.id", "f.role_id")
    .whereIn("f.role_id", roleIds)
    .select({
      roleId: "f.role_id",
      roleName: "r.name",
      entity: "f.entity",
      field: "f.field",
      canRead: "f.can_read",
      canWrite: "f.can_write",
    });
  return new PermissionSet(grants, rules);
}
