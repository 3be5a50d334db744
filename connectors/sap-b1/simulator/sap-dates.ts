/** SL keeps dates and times as separate server-local fields; the simulator's server clock is UTC. */
export function sapDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function sapTime(at: Date): string {
  return at.toISOString().slice(11, 19);
}

/** Accepts '2014-04-23', '20140423', '2014-04-23T12:21:21', datetime'…' values; the time part is ignored. */
export function normalizeDateLiteral(text: string): string | undefined {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  const iso = /^(\d{4}-\d{2}-\d{2})([T ].*)?$/.exec(text);
  return iso ? iso[1] : undefined;
}

/** Accepts '18:38:00', '18:38', '1838', '183800'; only HH:MM is effective, seconds are ignored. */
export function normalizeTimeLiteral(text: string): string | undefined {
  const colon = /^(\d{1,2}):(\d{2})(:\d{2})?$/.exec(text);
  if (colon) return `${colon[1].padStart(2, "0")}:${colon[2]}`;
  const compact = /^(\d{2})(\d{2})(\d{2})?$/.exec(text);
  return compact ? `${compact[1]}:${compact[2]}` : undefined;
}

export function isDateField(name: string): boolean {
  return /Date$|^ValidFrom$|^ValidTo$|^FrozenFrom$|^FrozenTo$/.test(name);
}

export function isTimeField(name: string): boolean {
  return /Time$/.test(name);
}
