import type { Knex } from "knex";

export interface AssignmentTrace {
  at: string;
  instanceId: string;
  workflow: string | null;
  elementExecution: string;
  strategy: string;
  chosen: string;
  trace: Record<string, unknown>;
}

/** Every assignOwner decision about one record, newest first: who was chosen, by which workflow, and why. */
export async function assignmentTraces(knex: Knex, entity: string, recordId: string): Promise<AssignmentTrace[]> {
  const rows = await knex("kehu.wf_assignments as a")
    .leftJoin("kehu.wf_instances as i", "i.id", "a.instance_id")
    .whereRaw("a.trace->>'entity' = ?", [entity])
    .whereRaw("a.trace->>'recordId' = ?", [recordId])
    .orderBy("a.id", "desc")
    .select("a.*", "i.key");
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    instanceId: r.instance_id,
    workflow: r.key ?? null,
    elementExecution: r.execution_id,
    strategy: r.strategy,
    chosen: r.chosen,
    trace: r.trace,
  }));
}
