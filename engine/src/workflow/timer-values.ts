const DURATION =
  /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;

const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text));

/**
 * Why a literal timer value would not run (bpmn-engine accepts ISO 8601 only, and an invalid timer stops the
 * instance), or undefined when it is fine. Date-only values are refused: bpmn-engine reads them in local time.
 */
export function timerValueProblem(kind: string, value: string): string | undefined {
  const text = value.trim();
  if (/\s/.test(text)) return `"${text}" is not ISO 8601 (cron expressions are not supported in BPMN timers)`;
  if (kind === "timeDuration") return DURATION.test(text) ? undefined : `"${text}" is not an ISO 8601 duration`;
  if (kind === "timeDate") {
    if (!isDate(text)) return `"${text}" is not an ISO 8601 date-time`;
    return /T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) ? undefined : `"${text}" needs a time and a zone (write UTC with Z)`;
  }
  const parts = text.split("/");
  if (!/^R\d*$/.test(parts[0]) || parts.length < 2) return `"${text}" is not an ISO 8601 repeating interval (R3/PT1H)`;
  const rest = parts.slice(1);
  if (rest.every((p) => DURATION.test(p) || isDate(p)) && rest.some((p) => DURATION.test(p))) return undefined;
  return `"${text}" is not an ISO 8601 repeating interval (R3/PT1H)`;
}
