import type { RetryOptions } from "@kehu/connector-kit";

/** How often and how patiently to retry: attempts in all, and the exponential delay's first window and cap (ms). */
export type RetryPolicy = Required<Pick<RetryOptions, "attempts" | "baseDelayMs" | "maxDelayMs">>;

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
