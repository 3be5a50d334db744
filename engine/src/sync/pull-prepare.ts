import type { ExternalRecord } from "@kehu/connector-kit";
import type { Issue } from "@kehu/core";
import { externalKeyOf } from "./external-key";
import { readPath } from "./field-source";
import { LookupTable, lookupsOf } from "./lookup-table";
import { mapInbound } from "./map-inbound";
import type { MappingRun } from "./mapping-run";
import { payloadHash } from "./payload-hash";
import { evaluate } from "./sync-expression";

/** One read record, keyed, filtered and mapped: ready for the page's decisions. */
export interface PreparedRecord {
  source: ExternalRecord;
  key: string | undefined;
  version: string | null;
  erpTime: number | undefined;
  result:
    | { kind: "mapped"; body: Record<string, unknown>; hash: string }
    | { kind: "failed"; reason: string; issues: Issue[] }
    | { kind: "skipped"; message: string };
}

/**
 * A page's records prepared before its transaction (lookups on a pooled connection, then mapping), so that the
 * runner prepares page N+1 while page N commits. Undefined when a lookup names the mapping's own entity: the page
 * before may create the records it looks up, so it is prepared inside its transaction, after that page. The
 * promise never rejects unhandled: its caller awaits it.
 */
export function prepareAhead(run: MappingRun, records: ExternalRecord[]): Promise<PreparedRecord[]> | undefined {
  if (lookupsOf(run.mapping).some((l) => l.entity === run.entity.name)) return undefined;
  const prepared = LookupTable.byValue(run.services.knex, run.mapping, records).then((lookups) =>
    records.map((r) => prepareRecord(run, r, lookups)),
  );
  prepared.catch(() => undefined);
  return prepared;
}

export function prepareRecord(run: MappingRun, source: ExternalRecord, lookups: LookupTable): PreparedRecord {
  const key = externalKeyOf(source, run.mapping.key.external);
  const cursor = run.stream?.cursorField ?? [];
  const version = cursor.length ? cursor.map((f) => String(readPath(source, f) ?? "")).join(" ") : null;
  const erpTime = timeOf(source, run.mapping.timestamp ?? cursor);
  const base = { source, key, version, erpTime };
  if (!key)
    return {
      ...base,
      result: {
        kind: "failed",
        reason: `the record has no ${run.mapping.key.external.join(" + ")}`,
        issues: run.mapping.key.external.map((k) => ({ path: `/${k}`, message: "is empty" })),
      },
    };
  if (run.mapping.filter) {
    try {
      if (!evaluate(run.mapping.filter, source))
        return { ...base, result: { kind: "skipped", message: "left out by the mapping's filter" } };
    } catch (e) {
      return { ...base, result: { kind: "failed", reason: `filter: ${(e as Error).message}`, issues: [] } };
    }
  }
  const mapped = mapInbound(run.mapping, run.entity, source, lookups);
  if (!mapped.ok)
    return {
      ...base,
      result: {
        kind: "failed",
        reason: mapped.issues.map((i) => `${i.path.slice(1)}: ${i.message}`).join("; "),
        issues: mapped.issues,
      },
    };
  return { ...base, result: { kind: "mapped", body: mapped.body, hash: payloadHash(mapped.body) } };
}

/** The ERP's modification time: one date-time field, or a date field and a time field (SAP's UpdateDate + UpdateTime). */
function timeOf(source: ExternalRecord, fields: readonly string[]): number | undefined {
  if (!fields.length) return undefined;
  const [first, second] = fields.map((f) => readPath(source, f));
  if (first === null || first === undefined) return undefined;
  if (second === undefined || second === null) {
    const t = Date.parse(String(first));
    return Number.isNaN(t) ? undefined : t;
  }
  const time =
    typeof second === "number"
      ? String(second)
          .padStart(6, "0")
          .replace(/(\d\d)(\d\d)(\d\d)/, "$1:$2:$3")
      : String(second);
  const t = Date.parse(`${String(first).slice(0, 10)}T${time.length === 5 ? `${time}:00` : time}Z`);
  return Number.isNaN(t) ? undefined : t;
}
