import type { Knex } from "knex";

/** What a task is about, from its instance: the process and the record (or business key) it was started for. */
export interface TaskSubject {
  processKey: string;
  entity: string | null;
  recordId: string | null;
  businessKey: string | null;
}

/**
 * The subjects of tasks' instances by instance id, so that the inbox can show the linked record to candidates and
 * assignees, who may not see the instance itself (only admins and the starter do).
 */
export async function taskSubjects(knex: Knex, instanceIds: unknown[]): Promise<Map<string, TaskSubject>> {
  const ids = [...new Set(instanceIds.map(String))];
  const rows = ids.length
    ? await knex("kehu.wf_instances").whereIn("id", ids).select("id", "key", "entity", "record_id", "business_key")
    : [];
  return new Map(
    rows.map((r) => [
      String(r.id),
      {
        processKey: r.key,
        entity: r.entity ?? null,
        recordId: r.record_id ?? null,
        businessKey: r.business_key ?? null,
      },
    ]),
  );
}
