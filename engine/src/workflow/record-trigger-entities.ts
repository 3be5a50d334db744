import type { Knex } from "knex";

/**
 * Which entity/action pairs have an enabled record trigger, per database, so that a write no trigger can follow
 * skips the trigger lookup and the transaction it needs. Re-read at most once a second, and at once after this
 * process creates a trigger; a trigger created by another process is seen within a second. A stale "yes" costs
 * only the lookup, which reads the triggers afresh.
 */
const FRESH_MS = 1000;

interface Snapshot {
  readAt: number;
  pairs: Promise<Set<string>>;
}

// Keyed by the knex config, which a database's transactions share with it.
const snapshots = new WeakMap<object, Snapshot>();

async function readPairs(knex: Knex): Promise<Set<string>> {
  const rows: { entity: string; event: string }[] = await knex("kehu.wf_triggers")
    .where({ kind: "record", enabled: true })
    .select("entity", knex.raw("unnest(events) AS event"));
  return new Set(rows.map((r) => `${r.entity}/${r.event}`));
}

/** Forgets what was read, after this process changed the triggers. */
export function recordTriggersChanged(knex: Knex): void {
  snapshots.delete(knex.client.config);
}

/** Whether a create or update of `entity` may start a workflow. */
export async function mayTriggerOn(knex: Knex, entity: string, action: string): Promise<boolean> {
  const key = knex.client.config;
  let snapshot = snapshots.get(key);
  if (!snapshot || Date.now() - snapshot.readAt > FRESH_MS) {
    snapshot = { readAt: Date.now(), pairs: readPairs(knex) };
    snapshots.set(key, snapshot);
  }
  try {
    return (await snapshot.pairs).has(`${entity}/${action}`);
  } catch (e) {
    if (snapshots.get(key) === snapshot) snapshots.delete(key);
    throw e;
  }
}
