/**
 * Statements of system step 10: approval matrices (chains as data), out-of-office substitutes, and the approval run
 * of each instance (its resolved chain, the current level and the votes cast, so every decision can be explained).
 */
export const APPROVAL_STEP_SQL: string[] = [
  `CREATE TABLE kehu.approval_matrices (
      key text PRIMARY KEY,
      entity text NOT NULL,
      definition jsonb NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      revision integer NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  `CREATE TABLE kehu.approval_substitutes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_login text NOT NULL,
      substitute_login text NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      reason text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at),
      CHECK (lower(user_login) <> lower(substitute_login))
    )`,
  `CREATE INDEX approval_substitutes_user ON kehu.approval_substitutes (lower(user_login), starts_at)`,
  `CREATE TABLE kehu.approval_runs (
      instance_id uuid PRIMARY KEY REFERENCES kehu.wf_instances (id) ON DELETE CASCADE,
      matrix_key text NOT NULL,
      round integer NOT NULL,
      plan jsonb NOT NULL,
      state jsonb NOT NULL,
      outcome text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
];
