import type { Knex } from "knex";

/**
 * Kehu's own tables, as an ordered list of steps. A step is never edited once released;
 * a change is a new step. `kehu migrate` and every start run the ones not yet applied.
 */
const STEPS: Array<{ id: number; name: string; up: (k: Knex) => Promise<void> }> = [
  {
    id: 1,
    name: "metadata and revisions",
    up: async (k) => {
      await k.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm");
      await k.raw("CREATE SCHEMA IF NOT EXISTS data");
      await k.schema.withSchema("kehu").createTable("entities", (t) => {
        t.text("name").primary();
        t.jsonb("definition").notNullable();
        t.integer("revision").notNullable();
        t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(k.fn.now());
      });
      await k.schema.withSchema("kehu").createTable("revisions", (t) => {
        t.bigIncrements("id").primary();
        t.text("entity").notNullable().index();
        t.text("actor").notNullable();
        t.timestamp("at", { useTz: true }).notNullable().defaultTo(k.fn.now());
        t.text("action").notNullable();
        t.jsonb("before");
        t.jsonb("after");
        t.jsonb("plan").notNullable();
      });
      await k.schema.withSchema("kehu").createTable("archived_values", (t) => {
        t.bigIncrements("id").primary();
        t.bigInteger("revision_id").notNullable().index();
        t.text("entity").notNullable();
        t.text("field");
        t.uuid("record_id").notNullable();
        t.jsonb("value");
      });
    },
  },
  {
    id: 2,
    name: "identity, permissions and audit",
    up: async (k) => {
      const statements = [
        `CREATE TABLE kehu.departments (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name text NOT NULL,
            code text UNIQUE,
            parent_id uuid REFERENCES kehu.departments(id),
            created_at timestamptz NOT NULL DEFAULT now()
          )`,
        `CREATE TABLE kehu.users (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            login text NOT NULL,
            display_name text NOT NULL,
            email text,
            locale text NOT NULL DEFAULT 'zh-CN',
            active boolean NOT NULL DEFAULT true,
            is_admin boolean NOT NULL DEFAULT false,
            department_id uuid REFERENCES kehu.departments(id),
            password_hash text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
          )`,
        `CREATE UNIQUE INDEX users_login_uq ON kehu.users (lower(login))`,
        `CREATE TABLE kehu.roles (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name text NOT NULL UNIQUE,
            label jsonb,
            description text,
            created_at timestamptz NOT NULL DEFAULT now()
          )`,
        `CREATE TABLE kehu.user_roles (
            user_id uuid NOT NULL REFERENCES kehu.users(id) ON DELETE CASCADE,
            role_id uuid NOT NULL REFERENCES kehu.roles(id) ON DELETE CASCADE,
            PRIMARY KEY (user_id, role_id)
          )`,
        `CREATE TABLE kehu.role_permissions (
            role_id uuid NOT NULL REFERENCES kehu.roles(id) ON DELETE CASCADE,
            entity text NOT NULL,
            action text NOT NULL CHECK (action IN ('create', 'read', 'update', 'delete')),
            scope text NOT NULL CHECK (scope IN ('own', 'department', 'department_tree', 'all')),
            PRIMARY KEY (role_id, entity, action)
          )`,
        `CREATE TABLE kehu.field_permissions (
            role_id uuid NOT NULL REFERENCES kehu.roles(id) ON DELETE CASCADE,
            entity text NOT NULL,
            field text NOT NULL,
            can_read boolean NOT NULL,
            can_write boolean NOT NULL,
            PRIMARY KEY (role_id, entity, field)
          )`,
        `CREATE TABLE kehu.sessions (
            id text PRIMARY KEY,
            user_id uuid NOT NULL REFERENCES kehu.users(id) ON DELETE CASCADE,
            csrf_token text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            last_seen_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL
          )`,
        `CREATE TABLE kehu.api_tokens (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id uuid NOT NULL REFERENCES kehu.users(id) ON DELETE CASCADE,
            name text NOT NULL,
            token_hash text NOT NULL UNIQUE,
            access text NOT NULL CHECK (access IN ('read', 'write')),
            entities text[],
            created_at timestamptz NOT NULL DEFAULT now(),
            last_used_at timestamptz,
            revoked_at timestamptz
          )`,
        `CREATE TABLE kehu.login_failures (
            key text NOT NULL,
            at timestamptz NOT NULL DEFAULT now()
          )`,
        `CREATE INDEX login_failures_key_at ON kehu.login_failures (key, at)`,
        `CREATE TABLE kehu.audit_log (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            actor_id uuid,
            actor_login text NOT NULL,
            channel text NOT NULL CHECK (channel IN ('api', 'studio', 'workflow', 'sync', 'import', 'system')),
            entity text NOT NULL,
            record_id uuid,
            action text NOT NULL,
            changes jsonb
          )`,
        `CREATE INDEX audit_log_record ON kehu.audit_log (entity, record_id, id)`,
        `CREATE INDEX audit_log_actor ON kehu.audit_log (actor_id, id)`,
        `CREATE FUNCTION kehu.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = '42501';
          END $$`,
        `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON kehu.audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION kehu.audit_log_is_append_only()`,
      ];
      for (const sql of statements) await k.raw(sql);
    },
  },
  {
    id: 4,
    name: "permissions version counter",
    up: async (k) => {
      // Bumped by any change to role or field permissions, so every process can keep a cache and still see changes at once.
      const statements = [
        `CREATE TABLE kehu.permissions_version (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)`,
        `INSERT INTO kehu.permissions_version (id, version) VALUES (1, 0)`,
        `CREATE FUNCTION kehu.bump_permissions_version() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            UPDATE kehu.permissions_version SET version = version + 1 WHERE id = 1;
            RETURN NULL;
          END $$`,
        `CREATE TRIGGER role_permissions_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kehu.role_permissions
            FOR EACH STATEMENT EXECUTE FUNCTION kehu.bump_permissions_version()`,
        `CREATE TRIGGER field_permissions_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kehu.field_permissions
            FOR EACH STATEMENT EXECUTE FUNCTION kehu.bump_permissions_version()`,
      ];
      for (const sql of statements) await k.raw(sql);
    },
  },
  {
    id: 5,
    name: "autonumber counters",
    up: async (k) => {
      await k.schema.withSchema("kehu").createTable("autonumber_counters", (t) => {
        t.text("entity").notNullable();
        t.text("field").notNullable();
        t.text("period").notNullable();
        t.bigInteger("value").notNullable();
        t.primary(["entity", "field", "period"]);
      });
    },
  },
  {
    id: 12,
    name: "form definitions",
    up: async (k) => {
      const statements = [
        `CREATE TABLE kehu.forms (
            entity text NOT NULL,
            name text NOT NULL,
            role text,
            definition jsonb NOT NULL,
            revision integer NOT NULL,
            updated_by text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (entity, name))`,
        // One form per entity and role (and one default), so resolving a caller's form is never ambiguous.
        `CREATE UNIQUE INDEX forms_entity_role ON kehu.forms (entity, coalesce(role, ''))`,
      ];
      for (const sql of statements) await k.raw(sql);
    },
  },
];

/** Applies the system steps not yet applied, each in its own transaction, under an advisory lock. */
export async function migrateSystemSchema(knex: Knex): Promise<number[]> {
  await knex.raw("CREATE SCHEMA IF NOT EXISTS kehu");
  await knex.raw(
    "CREATE TABLE IF NOT EXISTS kehu.system_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  const applied: number[] = [];
  for (const step of STEPS) {
    await knex.transaction(async (trx) => {
      // Serialises concurrent starts of several processes on one PostgreSQL.
      await trx.raw("SELECT pg_advisory_xact_lock(7263541)");
      const done = await trx("kehu.system_migrations").where({ id: step.id }).first();
      if (done) return;
      await step.up(trx);
      await trx("kehu.system_migrations").insert({ id: step.id, name: step.name });
      applied.push(step.id);
    });
  }
  return applied;
}
