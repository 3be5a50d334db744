import { backoffDelay, type ConnectorSession, type WriteRecord, type WriteResult } from "@kehu/connector-kit";
import { type RetryPolicy, realSleep } from "./backoff";
import { isPermanentFailure } from "./permanent-failure";
import type { SyncServices } from "./sync-services";

/**
 * The records' final results, undefined for a record the ERP neither took nor refused (it could not be reached,
 * or still failed in a way a retry might fix), and then why: `unreachable`.
 */
export interface WriteOutcome {
  results: Array<WriteResult | undefined>;
  unreachable?: unknown;
}

/**
 * Writes records through the connector, retrying what may succeed later (a thrown timeout or 5xx, a result marked
 * retryable; not a refused certificate or login) with backoff and jitter. Every retry sends the same idempotency
 * keys, so a write whose response was lost is not done twice.
 *
 * The ERP counts as unreachable (records left unsettled, the failure as `unreachable`) when the write call itself
 * failed (a thrown timeout, network, login or address error), or when records still failed retryably after the
 * last attempt and the ERP took none of the others. Once it took a record of this write it was up and answering:
 * a record it still fails with a 5xx is that record's problem (an SL internal error on one document), so it is
 * settled with its retryable failure and dead-lettered, instead of failing every later run on the same page. A
 * refusal alone does not prove that: SL stops a $batch at the refused part, so the records after it were not tried.
 */
export async function writeWithRetry(
  services: SyncServices,
  session: ConnectorSession,
  stream: string,
  records: WriteRecord[],
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<WriteOutcome> {
  const results: Array<WriteResult | undefined> = records.map(() => undefined);
  let pending = records.map((_, i) => i);
  let taken = false;
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
      // A refused certificate, login or address fails every record alike: no retry, the run stops on it.
      if (last || isPermanentFailure(e)) return { results, unreachable: e };
      services.logger.warn({ stream, attempt, err: (e as Error).message }, "sync write failed; retrying");
      await sleep(backoffDelay(attempt, policy, services.random));
      continue;
    }
    const again: number[] = [];
    const stuck: Array<{ index: number; result: Extract<WriteResult, { ok: false }> }> = [];
    pending.forEach((index, j) => {
      const r = batch[j] ?? { ok: false, message: "the connector returned no result", retryable: false };
      if (r.ok) taken = true;
      if (r.ok || !r.retryable) results[index] = r;
      else if (last) stuck.push({ index, result: r });
      else again.push(index);
    });
    if (stuck.length && !taken) return { results, unreachable: new Error(stuck[0].result.message) };
    for (const { index, result } of stuck) results[index] = result;
    pending = again;
    if (pending.length) await sleep(backoffDelay(attempt, policy, services.random));
  }
  return { results };
}
