import { isDateField } from "./sap-dates";
import type { ServiceVersion } from "./sap-error";
import type { SapRecord } from "./store";

/**
 * Wire shape per version. v1 (OData v3) writes dates as "2026-11-23"; v2 (OData v4) as "2026-11-23T00:00:00Z",
 * the form seen from v2 builds — a connector must accept both.
 */
export function serializeRecord(record: SapRecord, version: ServiceVersion, select?: string[]): SapRecord {
  const source = select ? pick(record, select) : record;
  return version === "v1" ? source : withV2Dates(source);
}

function pick(record: SapRecord, select: string[]): SapRecord {
  const out: SapRecord = {};
  for (const field of select) if (field in record) out[field] = record[field];
  return out;
}

/** Copies only when a date (or a row of a collection) changes: pages of 100,000 items stay cheap. */
function withV2Dates(record: SapRecord): SapRecord {
  let out: SapRecord | undefined;
  for (const field in record) {
    const value = record[field];
    let next = value;
    if (Array.isArray(value)) {
      const rows = value.map((row) => (row && typeof row === "object" ? withV2Dates(row as SapRecord) : row));
      if (rows.some((row, index) => row !== value[index])) next = rows;
    } else if (typeof value === "string" && dateField(field) && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      next = `${value}T00:00:00Z`;
    }
    if (next !== value) {
      out ??= { ...record };
      out[field] = next;
    }
  }
  return out ?? record;
}

const dateFields = new Map<string, boolean>();
function dateField(field: string): boolean {
  let known = dateFields.get(field);
  if (known === undefined) {
    known = isDateField(field);
    dateFields.set(field, known);
  }
  return known;
}

export function collectionBody(
  version: ServiceVersion,
  serviceRoot: string,
  set: string,
  rows: SapRecord[],
  extras: { count?: number; nextLink?: string },
): SapRecord {
  if (version === "v1") {
    return {
      "odata.metadata": `${serviceRoot}/$metadata#${set}`,
      ...(extras.count === undefined ? {} : { "odata.count": String(extras.count) }),
      value: rows,
      ...(extras.nextLink ? { "odata.nextLink": extras.nextLink } : {}),
    };
  }
  return {
    "@odata.context": `${serviceRoot}/$metadata#${set}`,
    ...(extras.count === undefined ? {} : { "@odata.count": extras.count }),
    value: rows,
    ...(extras.nextLink ? { "@odata.nextLink": extras.nextLink } : {}),
  };
}

export function entityBody(version: ServiceVersion, serviceRoot: string, set: string, record: SapRecord): SapRecord {
  return version === "v1"
    ? { "odata.metadata": `${serviceRoot}/$metadata#${set}/@Element`, ...record }
    : { "@odata.context": `${serviceRoot}/$metadata#${set}/$entity`, ...record };
}
