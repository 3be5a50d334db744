const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** An instance as the API shows it; `active` are the element ids holding a token (for the studio to highlight). */
export function instanceView(row: Record<string, unknown>) {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    status: row.status,
    businessKey: row.business_key ?? null,
    entity: row.entity ?? null,
    recordId: row.record_id ?? null,
    variables: row.variables,
    active: row.active,
    error: row.error ?? null,
    startedBy: row.started_by,
    revision: row.revision,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    endedAt: iso(row.ended_at),
  };
}

/** A user task as the inbox shows it; `overdue` when it is open past its due date on the runtime's clock (`now`). */
export function taskView(row: Record<string, unknown>, now: Date) {
  const due = row.due_at ? new Date(row.due_at as string) : null;
  return {
    id: row.id,
    instanceId: row.instance_id,
    elementId: row.element_id,
    name: row.name,
    assignee: row.assignee,
    candidateUsers: row.candidate_users,
    candidateGroups: row.candidate_groups,
    form: row.form,
    status: row.status,
    outcome: row.outcome ?? null,
    data: row.data ?? null,
    completedBy: row.completed_by ?? null,
    createdAt: iso(row.created_at),
    completedAt: iso(row.completed_at),
    dueDate: due?.toISOString() ?? null,
    followUpDate: iso(row.follow_up_at),
    priority: row.priority ?? 50,
    overdue: row.status === "open" && due !== null && due < now,
  };
}
