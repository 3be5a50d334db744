import type { RetryOptions } from "@kehu/connector-kit";

/** How often and how patiently to retry: attempts in all, and the exponential delay's first window and cap (ms). */
export type RetryPolicy = Required<Pick<RetryOptions, "attempts" | "baseDelayMs" | "maxDelayMs">>;

/**
 * A run someone waits for (API, CLI, the studio's "Run now", a replay): three reads in all, a few seconds apart. With
 * the connector's own retries of each request (SAP B1: 6 attempts) a mistyped port fails within ~10–20 s.
 */
export const USER_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 2_000 };

/**
 * A scheduled run: nobody waits for it, so it rides out an ERP restarting or failing over (a nightly restart, a
 * balancer switching nodes) for up to a minute or so instead of leaving a failed run in the history.
 */
export const SCHEDULED_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export function retryPolicyFor(trigger: "api" | "cli" | "schedule" | "replay"): RetryPolicy {
  return trigger === "schedule" ? SCHEDULED_RETRY : USER_RETRY;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
