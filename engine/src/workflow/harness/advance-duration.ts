import { addIsoDuration } from "../timer-due";

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const PART = /(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d|w)/gy;

/**
 * The time `from` plus a scenario duration: `30m`, `24h`, `7d`, `1d12h`, `2w`, or ISO 8601 (`P1M`, `PT36H`, months
 * on the calendar). Undefined when the text is neither.
 */
export function parseAdvance(from: Date, text: string): Date | undefined {
  const s = text.trim();
  if (s.startsWith("P")) return s === "P" ? undefined : addIsoDuration(from, s);
  if (!s) return undefined;
  let ms = 0;
  PART.lastIndex = 0;
  let end = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    ms += Number(m[1]) * UNIT_MS[m[2]];
    end = PART.lastIndex;
    while (s[end] === " ") end++;
    PART.lastIndex = end;
  }
  return end === s.length ? new Date(from.getTime() + ms) : undefined;
}
