import {
  abortableSleep,
  backoffDelay,
  ConnectorError,
  classifyRetry,
  isConnectorError,
  isPermanentConnectorError,
  mapConcurrent,
  type WriteRecord,
  type WriteResult,
} from "@kehu/connector-kit";
import { type BatchOperation, type BatchPartReply, sendBatch } from "./batch-request";
import { parseSapError } from "./sap-error-body";
import type { SlJson } from "./service-layer-client";
import { sendEach } from "./single-writes";
import type { StreamContext } from "./stream-definition";

/** How one push stream finds, creates and updates its documents. */
export interface WritePlan {
  /** The value that identifies the document in SAP for this record (e.g. the NumAtCard or CardCode to use). */
  keyOf(record: WriteRecord): string;
  /** Finds existing documents by key: key → external key. */
  lookup(ctx: StreamContext, keys: string[]): Promise<Map<string, string>>;
  create(record: WriteRecord, key: string): BatchOperation;
  update(record: WriteRecord, externalKey: string): BatchOperation;
  /**
   * External key and record of a created document from its 201 (or 204 + Location) reply; undefined when the reply
   * does not name the document, which the next round's lookup by key then finds.
   */
  created(reply: BatchPartReply, key: string): { externalKey: string; record?: SlJson } | undefined;
}

const BATCH_SIZE = 25;

/**
 * Writes with "look up before create": every round first asks SAP which keys already exist (a lost response or
 * an empty 500 may hide a create that happened), then sends what is left as `$batch` change sets. SL stops at the
 * first failing part, so unanswered parts simply go into the next round. Returns one result per input, in order.
 */
export async function writeIdempotent(ctx: StreamContext, plan: WritePlan, records: WriteRecord[]) {
  const results: (WriteResult | undefined)[] = records.map(() => undefined);
  const keys = records.map((record) => (record.externalKey ? undefined : plan.keyOf(record)));
  // Records sharing a key share one document; only the first of them is sent.
  const firstOfKey = new Map<string, number>();
  keys.forEach((key, index) => {
    if (key !== undefined && !firstOfKey.has(key)) firstOfKey.set(key, index);
  });
  const leaders = records.map((_, index) => keys[index] === undefined || firstOfKey.get(keys[index]!) === index);
  let failures = 0;
  while (leaders.some((leader, index) => leader && !results[index])) {
    const pending = records.map((_, index) => index).filter((index) => leaders[index] && !results[index]);
    let failure: unknown;
    try {
      await runRound(ctx, plan, records, keys, pending, results);
    } catch (error) {
      if (stopsTheWrite(ctx, error)) throw error;
      failure = error;
    }
    if (failure === undefined && pending.some((index) => results[index])) continue;
    // No progress: an error, only 5xx parts, or replies naming no document that the lookup does not find either.
    failure ??= new ConnectorError(
      "http",
      "SAP B1 did not confirm the documents: it answered 5xx inside $batch, or replies that named no document the lookup could find",
      { status: 500 },
    );
    const decision = classifyRetry(failure);
    failures++;
    if (!decision.retryable || failures >= ctx.client.config.retryAttempts) {
      for (const index of pending) results[index] ??= failed(failure, decision.retryable);
      break;
    }
    await abortableSleep(decision.retryAfterMs ?? backoffDelay(failures), ctx.signal);
  }
  return records.map((_, index) => {
    const own = results[index];
    if (own) return own;
    const leader = results[firstOfKey.get(keys[index]!)!]!;
    return leader.ok ? { ...leader, created: false } : leader;
  });
}

async function runRound(
  ctx: StreamContext,
  plan: WritePlan,
  records: WriteRecord[],
  keys: (string | undefined)[],
  pending: number[],
  results: (WriteResult | undefined)[],
) {
  const creates = pending.filter((index) => keys[index] !== undefined);
  const existing = await plan.lookup(
    ctx,
    creates.map((index) => keys[index]!),
  );
  for (const index of creates) {
    const externalKey = existing.get(keys[index]!);
    if (externalKey) results[index] = { ok: true, externalKey, created: false };
  }
  const toSend = pending.filter((index) => !results[index]);
  const chunks = chunk(toSend, BATCH_SIZE);
  await mapConcurrent(chunks, ctx.client.config.concurrency, async (indexes) => {
    const operations = indexes.map((index) => {
      const record = records[index];
      return record.externalKey ? plan.update(record, record.externalKey) : plan.create(record, keys[index]!);
    });
    const send = ctx.client.config.batchWrites ? sendBatch : sendEach;
    const replies = await send(ctx.client, operations, ctx.signal);
    replies.forEach((reply, position) => {
      const index = indexes[position];
      if (reply instanceof Error) {
        if (stopsTheWrite(ctx, reply)) throw reply;
        // A retryable failure may hide a write that happened: the next round's lookup tells.
        if (!classifyRetry(reply).retryable) results[index] = failed(reply, false);
      } else if (reply) results[index] = toResult(plan, records[index], keys[index], reply);
    });
  });
}

function toResult(plan: WritePlan, record: WriteRecord, key: string | undefined, reply: BatchPartReply) {
  if (reply.status >= 200 && reply.status < 300) {
    if (record.externalKey) return { ok: true as const, externalKey: record.externalKey, created: false };
    const made = plan.created(reply, key!);
    return made && { ok: true as const, ...made, created: true };
  }
  // 5xx inside a batch: leave it for the next round, whose lookup tells whether it happened.
  if (reply.status >= 500) return undefined;
  const { code, message } = parseSapError(reply.text);
  return {
    ok: false as const,
    message: `SAP B1 error ${code ?? "?"} (HTTP ${reply.status}): ${message ?? "rejected"}`,
    code,
    retryable: false,
  };
}

/**
 * A failure that fails every record alike, so no write round tries again: a refused certificate, login or address
 * (the run stops on it, nothing is dead-lettered), or a login that used up its own retries (retrying the round would
 * try the login that many times over).
 */
function stopsTheWrite(ctx: StreamContext, error: unknown): boolean {
  return isPermanentConnectorError(error) || ctx.client.loginGaveUp(error);
}

function failed(error: unknown, retryable: boolean): WriteResult {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, message, code: isConnectorError(error) ? error.code : undefined, retryable };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
