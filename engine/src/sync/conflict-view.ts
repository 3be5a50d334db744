import type { ConflictRow } from "./conflict-store";

export interface ConflictView {
  id: number;
  connection: string;
  stream: string;
  mapping: string;
  entity: string;
  recordId: string;
  externalKey: string;
  policy: ConflictRow["policy"];
  status: ConflictRow["status"];
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdAt: string;
  fields: Array<{ field: string; crm: unknown; erp: unknown; base: unknown; chosen?: unknown }>;
  /** One line per field: `phone: CRM says "…" / SAP B1 says "…" / rule chose SAP B1`. */
  report: string[];
}

const show = (v: unknown) => (v === null || v === undefined ? "(empty)" : JSON.stringify(v));

/** A conflict as people read it, naming the external system by its connector's label. */
export function conflictView(row: ConflictRow, systemLabel: string): ConflictView {
  const chosen = row.chosen ?? undefined;
  const fields = Object.entries(row.fields).map(([field, v]) => ({
    field,
    ...v,
    ...(chosen && field in chosen ? { chosen: chosen[field] } : {}),
  }));
  const who = row.resolution?.startsWith("rule:") ? "rule chose" : `${row.resolved_by ?? "someone"} chose`;
  const report = fields.map((f) => {
    const head = `${f.field}: CRM says ${show(f.crm)} / ${systemLabel} says ${show(f.erp)}`;
    if (row.status === "open") return `${head} / waiting for a decision (${row.policy})`;
    const pick =
      row.resolution === "rule:erp" || row.resolution === "take_erp"
        ? systemLabel
        : row.resolution === "rule:crm" || row.resolution === "take_crm"
          ? "CRM"
          : show(f.chosen);
    return `${head} / ${who} ${pick}`;
  });
  return {
    id: Number(row.id),
    connection: row.connection,
    stream: row.stream,
    mapping: row.mapping,
    entity: row.entity,
    recordId: row.record_id,
    externalKey: row.external_key,
    policy: row.policy,
    status: row.status,
    resolution: row.resolution,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    createdAt: row.created_at,
    fields,
    report,
  };
}
