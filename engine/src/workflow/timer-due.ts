const DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Adds an ISO 8601 duration to a date in UTC (months and years on the calendar); undefined when it is not one. */
export function addIsoDuration(from: Date, duration: string): Date | undefined {
  const m = DURATION.exec(duration.trim());
  if (!m) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const date = new Date(from.getTime());
  if (y || mo) date.setUTCMonth(date.getUTCMonth() + y * 12 + mo);
  return new Date(date.getTime() + ((w * 7 + d) * 24 * 3600 + h * 3600 + mi * 60 + s) * 1000);
}

/** What bpmn-elements puts in a timer's content: the kind, its resolved value, and its own (real-time) expiry. */
export interface TimerContent {
  timerType?: string;
  timeDuration?: string;
  timeCycle?: string;
  timeDate?: string;
  expireAt?: string | Date;
}

/**
 * The due time of a timer on the runtime's clock. bpmn-elements computes expiry from the real time; the runtime
 * recomputes it from its own clock (virtual in tests), so a 7-day wait is due exactly 7 days after `now`. A date is
 * absolute. Falls back to `now + delay`.
 */
export function timerDue(content: TimerContent | null | undefined, now: Date, delay: number): Date {
  const type = content?.timerType;
  if (type === "timeDate" && content?.expireAt) return new Date(content.expireAt);
  if (type === "timeDuration" && content?.timeDuration) return addIsoDuration(now, content.timeDuration) ?? fallback();
  if (type === "timeCycle" && content?.timeCycle) {
    const parts = content.timeCycle.split("/").slice(1);
    const start = parts.find((p) => !p.startsWith("P"));
    const duration = parts.find((p) => p.startsWith("P"));
    if (start && new Date(start) > now) return new Date(start);
    if (duration) return addIsoDuration(now, duration) ?? fallback();
  }
  return fallback();

  function fallback() {
    return new Date(now.getTime() + delay);
  }
}
