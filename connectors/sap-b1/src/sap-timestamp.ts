/**
 * SL keeps change stamps as two server-local fields: UpdateDate (`2026-11-23`, or `2026-11-23T00:00:00Z` from v2)
 * and UpdateTime (`17:13:12`; filters only honour HH:MM). This joins them into one sortable `YYYY-MM-DDTHH:MM:SS`.
 */
export function changeStamp(row: Record<string, unknown>): string | undefined {
  const date = sapDate(row.UpdateDate);
  if (!date) return undefined;
  return `${date}T${sapTime(row.UpdateTime) ?? "00:00:00"}`;
}

/** `2026-11-23`, `2026-11-23T00:00:00Z` or `20261123` → `2026-11-23`. */
export function sapDate(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  if (iso) return iso[1];
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : undefined;
}

/**
 * `17:13:12`, `17:13`, `171312`, `17:13:12.0000000` → `17:13:12`; a time sent as a date-time (v2 payloads carry
 * dates as `…T00:00:00Z`, and a time field may come the same way, e.g. `1899-12-30T17:13:12Z`) gives its time part.
 */
export function sapTime(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const stamped = /^\d{4}-?\d{2}-?\d{2}T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (stamped) return `${stamped[1]}:${stamped[2]}:${stamped[3] ?? "00"}`;
  const colon = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (colon) return `${colon[1].padStart(2, "0")}:${colon[2]}:${colon[3] ?? "00"}`;
  const compact = /^(\d{2})(\d{2})(\d{2})?$/.exec(value);
  return compact ? `${compact[1]}:${compact[2]}:${compact[3] ?? "00"}` : undefined;
}

/** The stamp `minutes` earlier, truncated to the minute (the finest grain an UpdateTime filter has). */
export function minutesBefore(stamp: string, minutes: number): string {
  const at = Date.parse(`${stamp}Z`) - minutes * 60_000;
  const text = new Date(at).toISOString();
  return `${text.slice(0, 16)}:00`;
}

/**
 * `UpdateDate gt 'D' or (UpdateDate eq 'D' and UpdateTime ge 'HH:MM:00')`: everything changed from the minute of
 * `stamp` on. Date and time are separate fields, so a single comparison cannot express it; SL ignores the seconds.
 */
export function changedSinceFilter(stamp: string): string {
  const date = stamp.slice(0, 10);
  const time = `${stamp.slice(11, 16)}:00`;
  return `UpdateDate gt '${date}' or (UpdateDate eq '${date}' and UpdateTime ge '${time}')`;
}
