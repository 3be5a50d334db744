import { backoffDelay, type ConnectorSession, type WriteRecord, type WriteResult } from "@kehu/connector-kit";
import { type RetryPolicy, realSleep } from "./backoff";
import { isPermanentFailure } from "./permanent-failure";
import type { SyncServices } from "./sync-services";

/**
 * Writes records through the connector, retrying what may succeed later (a thrown timeout or 5xx, a result marked
 * retryable; not a refused certificate or login) with backoff and jitter. Every retry sends the same idempotency keys, so a write whose response was
 * lost is not done twice. Returns one final result per record.
 */
export async function writeWithRetry(
  services: SyncServices,
  session: ConnectorSession,
  stream: string,
  records: WriteRecord[],
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<WriteResult[]> {
  const results: Array<WriteResult | undefined> = records.map(() => undefined);
  let pending = records.map((_, i) => i);
  const sleep = services.sleep ?? realSleep;
  for (let attempt = 1; pending.length; attempt++) {
    const last = attempt >= policy.attempts;
    let batch: WriteResult[];
    try {
      batch = await session.write(
        stream,
        pending.map((i) => records[i]),
        { signal },
      );
    } catch (e) {
      if (signal?.aborted) throw e;
      const message = (e as Error).message;
      // A refused certificate, login or config value fails every record alike: the run stops on it, nothing is dead-lettered.
      if (isPermanentFailure(e)) throw e;
      if (last) {
        for (const i of pending) results[i] = { ok: false, message, retryable: true };
        break;
      }
      services.logger.warn({ stream, attempt, err: message }, "sync write failed; retrying");
      await sleep(backoffDelay(attempt, policy, services.random));
      continue;
    }
    const again: number[] = [];
    pending.forEach((index, j) => {
      const r = batch[j] ?? { ok: false, message: "the connector returned no result", retryable: false };
      if (!r.ok && r.retryable && !last) again.push(index);
      else results[index] = r;
    });
    pending = again;
    if (pending.length) await sleep(backoffDelay(attempt, policy, services.random));
  }
  return results as WriteResult[];
}
