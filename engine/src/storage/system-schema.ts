import type { Knex } from "knex";
import { CURRENCY_STEP_SQL } from "../currency/currency-system-step";
import { APPROVAL_STEP_SQL } from "../workflow/approval/approval-system-step";

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
    id: 6,
    name: "currencies and exchange rates",
    up: async (k) => {
      for (const sql of CURRENCY_STEP_SQL) await k.raw(sql);
    },
  },
  {
    id: 7,
    name: "revision reverts",
    up: async (k) => {
      await k.raw("ALTER TABLE kehu.revisions ADD COLUMN reverts bigint");
    },
  },
  {
    id: 8,
    name: "sync connections, mappings, links, runs, ledger, dead letters and conflicts",
    up: async (k) => {
      const statements = [
        `CREATE TABLE kehu.sync_connections (
          name text PRIMARY KEY,
          label text,
          connector text NOT NULL,
          config jsonb NOT NULL,
          act_as uuid REFERENCES kehu.users(id),
          schedule text,
          enabled boolean NOT NULL DEFAULT true,
          catalog jsonb,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        )`,
        `CREATE TABLE kehu.sync_mappings (
          name text PRIMARY KEY,
          connection text NOT NULL REFERENCES kehu.sync_connections(name) ON DELETE CASCADE,
          stream text NOT NULL,
          entity text NOT NULL,
          definition jsonb NOT NULL,
          schedule text,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        )`,
        `CREATE TABLE kehu.sync_links (
          id bigserial PRIMARY KEY,
          connection text NOT NULL,
          stream text NOT NULL,
          entity text NOT NULL,
          record_id uuid NOT NULL,
          external_key text NOT NULL,
          last_hash text NOT NULL,
          last_payload jsonb NOT NULL,
          source jsonb,
          crm_version integer NOT NULL,
          synced_at timestamptz NOT NULL DEFAULT now()
        )`,
        `CREATE UNIQUE INDEX sync_links_external ON kehu.sync_links (connection, stream, entity, external_key)`,
        `CREATE UNIQUE INDEX sync_links_record ON kehu.sync_links (connection, stream, entity, record_id)`,
        `CREATE TABLE kehu.sync_stream_state (
          connection text NOT NULL,
          stream text NOT NULL,
          state jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (connection, stream)
        )`,
        `CREATE TABLE kehu.sync_runs (
          id uuid PRIMARY KEY,
          connection text NOT NULL,
          streams text[] NOT NULL,
          mode text NOT NULL CHECK (mode IN ('incremental', 'full', 'replay')),
          trigger text NOT NULL,
          status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
          started_at timestamptz NOT NULL DEFAULT now(),
          ended_at timestamptz,
          started_by text,
          read integer NOT NULL DEFAULT 0,
          created integer NOT NULL DEFAULT 0,
          updated integer NOT NULL DEFAULT 0,
          unchanged integer NOT NULL DEFAULT 0,
          failed integer NOT NULL DEFAULT 0,
          conflicts integer NOT NULL DEFAULT 0,
          pages integer NOT NULL DEFAULT 0,
          start_state jsonb NOT NULL DEFAULT '{}'::jsonb,
          progress jsonb,
          heartbeat_at timestamptz NOT NULL DEFAULT now(),
          error text
        )`,
        `CREATE INDEX sync_runs_connection ON kehu.sync_runs (connection, started_at DESC)`,
        `CREATE TABLE kehu.sync_ledger (
          id bigserial PRIMARY KEY,
          run_id uuid NOT NULL,
          direction text NOT NULL CHECK (direction IN ('pull', 'push')),
          connection text NOT NULL,
          stream text NOT NULL,
          mapping text NOT NULL,
          entity text NOT NULL,
          record_id uuid,
          external_key text,
          source_version text,
          payload_hash text,
          idempotency_key text,
          outcome text NOT NULL CHECK (outcome IN ('created', 'updated', 'unchanged', 'failed', 'conflict', 'skipped')),
          message text,
          at timestamptz NOT NULL DEFAULT now()
        )`,
        `CREATE INDEX sync_ledger_run ON kehu.sync_ledger (run_id, id)`,
        `CREATE INDEX sync_ledger_external ON kehu.sync_ledger (connection, stream, external_key, id)`,
        `CREATE INDEX sync_ledger_record ON kehu.sync_ledger (entity, record_id, id)`,
        `CREATE TABLE kehu.sync_dead_letters (
          id bigserial PRIMARY KEY,
          run_id uuid NOT NULL,
          direction text NOT NULL CHECK (direction IN ('pull', 'push')),
          connection text NOT NULL,
          stream text NOT NULL,
          mapping text NOT NULL,
          external_key text,
          record_id uuid,
          payload jsonb,
          reason text NOT NULL,
          issues jsonb,
          status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'retried', 'discarded')),
          created_at timestamptz NOT NULL DEFAULT now(),
          closed_at timestamptz,
          closed_by text
        )`,
        `CREATE INDEX sync_dead_letters_open ON kehu.sync_dead_letters (connection, status, id)`,
        `CREATE TABLE kehu.sync_conflicts (
          id bigserial PRIMARY KEY,
          run_id uuid,
          connection text NOT NULL,
          stream text NOT NULL,
          mapping text NOT NULL,
          entity text NOT NULL,
          record_id uuid NOT NULL,
          external_key text NOT NULL,
          fields jsonb NOT NULL,
          erp_payload jsonb NOT NULL,
          source jsonb,
          policy text NOT NULL CHECK (policy IN ('erp_wins', 'crm_wins', 'newest_wins', 'manual')),
          status text NOT NULL CHECK (status IN ('open', 'resolved')),
          resolution text,
          chosen jsonb,
          resolved_by text,
          resolved_at timestamptz,
          created_at timestamptz NOT NULL DEFAULT now()
        )`,
        `CREATE UNIQUE INDEX sync_conflicts_open ON kehu.sync_conflicts (mapping, record_id) WHERE status = 'open'`,
      ];
      for (const sql of statements) await k.raw(sql);
    },
  },
  {
    id: 9,
    name: "workflows: deployments, instances, tasks, timers, effects, inbox, outbox",
    up: async (k) => {
      const statements = [
        `CREATE TABLE kehu.wf_deployments (
            key text NOT NULL,
            version integer NOT NULL,
            name text,
            entity text,
            xml text NOT NULL,
            hash text NOT NULL,
            reads jsonb NOT NULL DEFAULT '[]',
            created_by text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (key, version)
          )`,
        `CREATE TABLE kehu.wf_settings (key text PRIMARY KEY, value jsonb NOT NULL)`,
        `CREATE TABLE kehu.wf_instances (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            key text NOT NULL,
            version integer NOT NULL,
            status text NOT NULL CHECK (status IN ('running', 'waiting', 'completed', 'failed', 'cancelled')),
            state jsonb,
            business_key text,
            entity text,
            record_id uuid,
            variables jsonb NOT NULL DEFAULT '{}',
            active jsonb NOT NULL DEFAULT '[]',
            error text,
            failed_signal jsonb,
            started_by text NOT NULL,
            revision integer NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            ended_at timestamptz,
            FOREIGN KEY (key, version) REFERENCES kehu.wf_deployments (key, version)
          )`,
        `CREATE INDEX wf_instances_status ON kehu.wf_instances (status, key)`,
        `CREATE INDEX wf_instances_business_key ON kehu.wf_instances (business_key)`,
        `CREATE INDEX wf_instances_record ON kehu.wf_instances (entity, record_id)`,
        `CREATE TABLE kehu.wf_history (
            id bigserial PRIMARY KEY,
            instance_id uuid NOT NULL REFERENCES kehu.wf_instances (id) ON DELETE CASCADE,
            at timestamptz NOT NULL DEFAULT now(),
            element_id text,
            element_type text,
            event text NOT NULL,
            actor text NOT NULL,
            detail jsonb
          )`,
        `CREATE INDEX wf_history_instance ON kehu.wf_history (instance_id, id)`,
        `CREATE TABLE kehu.wf_tasks (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            instance_id uuid NOT NULL REFERENCES kehu.wf_instances (id) ON DELETE CASCADE,
            execution_id text NOT NULL,
            element_id text NOT NULL,
            name text,
            assignee text,
            candidate_users text[] NOT NULL DEFAULT '{}',
            candidate_groups text[] NOT NULL DEFAULT '{}',
            form jsonb,
            status text NOT NULL CHECK (status IN ('open', 'completed', 'cancelled')),
            outcome text,
            data jsonb,
            completed_by text,
            created_at timestamptz NOT NULL DEFAULT now(),
            completed_at timestamptz,
            UNIQUE (instance_id, execution_id)
          )`,
        `CREATE INDEX wf_tasks_open_assignee ON kehu.wf_tasks (assignee) WHERE status = 'open'`,
        `CREATE TABLE kehu.wf_task_comments (
            id bigserial PRIMARY KEY,
            task_id uuid NOT NULL REFERENCES kehu.wf_tasks (id) ON DELETE CASCADE,
            author text NOT NULL,
            body text NOT NULL,
            at timestamptz NOT NULL DEFAULT now()
          )`,
        `CREATE TABLE kehu.wf_effects (
            instance_id uuid NOT NULL,
            execution_id text NOT NULL,
            service text NOT NULL,
            result jsonb,
            at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (instance_id, execution_id)
          )`,
        `CREATE TABLE kehu.wf_timers (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            instance_id uuid NOT NULL REFERENCES kehu.wf_instances (id) ON DELETE CASCADE,
            execution_id text NOT NULL,
            element_id text NOT NULL,
            due_at timestamptz NOT NULL,
            status text NOT NULL CHECK (status IN ('pending', 'fired', 'cancelled')),
            fired_at timestamptz,
            UNIQUE (instance_id, execution_id)
          )`,
        `CREATE INDEX wf_timers_due ON kehu.wf_timers (due_at) WHERE status = 'pending'`,
        `CREATE TABLE kehu.wf_notifications (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_login text NOT NULL,
            title text NOT NULL,
            body text,
            instance_id uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            read_at timestamptz
          )`,
        `CREATE INDEX wf_notifications_user ON kehu.wf_notifications (user_login, created_at)`,
        `CREATE TABLE kehu.outbox (
            id bigserial PRIMARY KEY,
            kind text NOT NULL,
            payload jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            sent_at timestamptz
          )`,
        `CREATE TABLE kehu.wf_assign_counters (pool text PRIMARY KEY, next bigint NOT NULL)`,
        `CREATE TABLE kehu.wf_assignments (
            id bigserial PRIMARY KEY,
            instance_id uuid NOT NULL,
            execution_id text NOT NULL,
            strategy text NOT NULL,
            chosen text NOT NULL,
            trace jsonb NOT NULL,
            at timestamptz NOT NULL DEFAULT now()
          )`,
        `CREATE TABLE kehu.wf_triggers (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            key text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('record', 'schedule')),
            entity text,
            events text[] NOT NULL DEFAULT '{}',
            condition text,
            cron text,
            variables jsonb NOT NULL DEFAULT '{}',
            enabled boolean NOT NULL DEFAULT true,
            created_at timestamptz NOT NULL DEFAULT now()
          )`,
      ];
      for (const sql of statements) await k.raw(sql);
    },
  },
  {
    id: 10,
    name: "approval matrices, substitutes and approval runs",
    up: async (k) => {
      for (const sql of APPROVAL_STEP_SQL) await k.raw(sql);
    },
  },
  {
    id: 11,
    name: "installed apps",
    up: async (k) => {
      // `entities` is the template's metadata as installed: the base of the three-way merge on upgrade.
      await k.raw(`CREATE TABLE kehu.installed_apps (
          name text PRIMARY KEY,
          version text NOT NULL,
          entities jsonb NOT NULL,
          installed_by text NOT NULL,
          installed_at timestamptz NOT NULL DEFAULT now())`);
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
  {
    id: 13,
    name: "saved reports and dashboards",
    up: async (k) => {
      for (const table of ["reports", "dashboards"])
        await k.raw(`CREATE TABLE kehu.${table} (
            key text PRIMARY KEY,
            definition jsonb NOT NULL,
            updated_by text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now())`);
    },
  },
  {
    id: 14,
    name: "workflow instance inputs",
    up: async (k) => {
      // The variables an instance was started with (its `variables` change as it runs): replays start from these.
      await k.raw("ALTER TABLE kehu.wf_instances ADD COLUMN inputs jsonb");
    },
  },
  {
    id: 17,
    name: "installed apps remember their forms and roles",
    up: async (k) => {
      // The template's forms and roles as installed: the base of their three-way merge on upgrade (null: not
      // recorded yet, the next upgrade takes the template's as they are).
      await k.raw("ALTER TABLE kehu.installed_apps ADD COLUMN forms jsonb, ADD COLUMN roles jsonb");
    },
  },
  {
    id: 15,
    name: "the outbox finds its unsent rows by index",
    up: async (k) => {
      // Workers take the oldest unsent row of a kind; without this every take scanned past all rows already sent
      // (a 10,000-row import queues 10,000 workflow starts at once).
      await k.raw("CREATE INDEX outbox_unsent ON kehu.outbox (kind, id) WHERE sent_at IS NULL");
    },
  },
  {
    id: 16,
    name: "queued starts count their failed attempts and are given up",
    up: async (k) => {
      // A start that keeps failing is given up (failed_at) after a few attempts, and waits for an admin's retry.
      await k.raw(
        "ALTER TABLE kehu.outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0, ADD COLUMN last_error text, ADD COLUMN failed_at timestamptz",
      );
      // Takers skip given-up rows in the index itself, not by reading each past it; the few given up have their own.
      await k.raw("DROP INDEX kehu.outbox_unsent");
      await k.raw("CREATE INDEX outbox_runnable ON kehu.outbox (kind, id) WHERE sent_at IS NULL AND failed_at IS NULL");
      await k.raw(
        "CREATE INDEX outbox_given_up ON kehu.outbox (kind, id) WHERE sent_at IS NULL AND failed_at IS NOT NULL",
      );
    },
  },
  {
    id: 18,
    name: "a failed queued start waits before its next attempt",
    up: async (k) => {
      // Attempts spread over minutes, not over the next few wake-ups: a deployment being replaced or a lock timeout
      // has passed by the time the start is given up.
      await k.raw("ALTER TABLE kehu.outbox ADD COLUMN next_attempt_at timestamptz");
    },
  },
  {
    id: 19,
    name: "sync runs count the records they skipped",
    up: async (k) => {
      // Records a mapping's filter leaves out (or whose Kehu record is deleted) were read but counted nowhere, so a
      // run's read never added up.
      await k.raw("ALTER TABLE kehu.sync_runs ADD COLUMN skipped integer NOT NULL DEFAULT 0");
    },
  },
  {
    id: 20,
    name: "a dead letter a newer failure of its record supersedes is closed as replaced, naming its successor",
    up: async (k) => {
      // Closed as `retried` before, which read as if someone had retried it.
      await k.raw(`ALTER TABLE kehu.sync_dead_letters
        DROP CONSTRAINT sync_dead_letters_status_check,
        ADD CONSTRAINT sync_dead_letters_status_check CHECK (status IN ('open', 'retried', 'discarded', 'replaced')),
        ADD COLUMN replaced_by bigint REFERENCES kehu.sync_dead_letters (id) ON DELETE SET NULL`);
    },
  },
  {
    id: 21,
    name: "user tasks have a due date, a follow-up date and a priority",
    up: async (k) => {
      // From camunda:dueDate, camunda:followUpDate and camunda:priority (Camunda's default priority is 50).
      await k.raw(
        "ALTER TABLE kehu.wf_tasks ADD COLUMN due_at timestamptz, ADD COLUMN follow_up_at timestamptz, ADD COLUMN priority integer NOT NULL DEFAULT 50",
      );
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
