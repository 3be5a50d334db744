import { isConnectorError } from "./connector-error";

/** Whether a failed call may be tried again, and how long the server asked us to wait. */
export interface RetryDecision {
  retryable: boolean;
  retryAfterMs?: number;
}

const transientCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/**
 * The kit's retry classification: timeouts, dropped or refused connections, 5xx and 429 are retryable (429 and
 * 503 with the server's `Retry-After`); other 4xx, a caller's abort and unknown errors are not.
 *
 * @example
 * classifyRetry(new ConnectorError("http", "busy", { status: 429, retryAfterMs: 2000 })); // { retryable: true, retryAfterMs: 2000 }
 */
export function classifyRetry(error: unknown): RetryDecision {
  if (isConnectorError(error)) {
    if (error.kind === "timeout" || error.kind === "network") return { retryable: true };
    if (error.status !== undefined) return byStatus(error.status, error.retryAfterMs);
    return { retryable: false };
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError") return { retryable: true };
  if (name === "AbortError") return { retryable: false };
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number") return byStatus(status, undefined);
  return { retryable: hasTransientCode(error, 3) };
}

function byStatus(status: number, retryAfterMs: number | undefined): RetryDecision {
  if (status === 429 || status >= 500)
    return { retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  return { retryable: false };
}

// fetch wraps socket errors: TypeError("fetch failed", { cause: { code: "ECONNRESET" } }).
function hasTransientCode(error: unknown, depth: number): boolean {
  if (!error || typeof error !== "object" || depth === 0) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && transientCodes.has(code)) return true;
  if (/socket hang up/i.test(String((error as { message?: unknown }).message ?? ""))) return true;
  return hasTransientCode((error as { cause?: unknown }).cause, depth - 1);
}

/**
 * Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds from `now`; undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
