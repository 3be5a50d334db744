import { abortableSleep } from "./abortable-sleep";
import { classifyRetry, type RetryDecision } from "./retry-policy";

export interface RetryOptions {
  /** Total attempts, the first included (default 5). */
  attempts?: number;
  /** Cap of the first backoff window (default 200 ms); the window doubles per attempt. */
  baseDelayMs?: number;
  /** Largest backoff window (default 10 s). A longer `Retry-After` is honoured up to `maxRetryAfterMs`. */
  maxDelayMs?: number;
  /** Longest `Retry-After` wait accepted (default 60 s); a longer one fails the call. */
  maxRetryAfterMs?: number;
  /** Decides whether an error is worth another attempt (default `classifyRetry`). */
  classify?: (error: unknown) => RetryDecision;
  /** Injected for tests; defaults to a timer that the signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Exponential backoff with full jitter: before attempt n+1 it waits a uniform random time in
 * [0, min(maxDelayMs, baseDelayMs·2^(n−1))), or the server's `Retry-After` when it gave one.
 */
export function backoffDelay(attempt: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 10_000;
  const window = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * window);
}

/**
 * Runs `fn` until it succeeds, the error is not retryable, or the attempts are used up; the last error is thrown.
 *
 * @example
 * const items = await retry(() => client.get("Items"), { attempts: 4, signal });
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const classify = options.classify ?? classifyRetry;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      const decision = classify(error);
      if (!decision.retryable || attempt >= attempts || options.signal?.aborted) throw error;
      const delayMs = waitFor(decision, attempt, options, random);
      if (delayMs === undefined) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}

function waitFor(decision: RetryDecision, attempt: number, options: RetryOptions, random: () => number) {
  if (decision.retryAfterMs === undefined) return backoffDelay(attempt, options, random);
  return decision.retryAfterMs > (options.maxRetryAfterMs ?? 60_000) ? undefined : decision.retryAfterMs;
}
