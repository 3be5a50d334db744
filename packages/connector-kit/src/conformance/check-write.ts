import { expect } from "vitest";
import type { ConnectorSession, WriteResult } from "../contract";
import type { WriteFixture } from "./conformance-options";

function externalKeys(results: WriteResult[]): string[] {
  return results.map((result) => {
    if (!result.ok) throw new Error(`expected a successful write, got: ${result.message}`);
    return result.externalKey;
  });
}

/** One result per input, in input order: a rejected record mid-batch fails alone and in its own position. */
export async function checkWriteOrder(session: ConnectorSession, stream: string, fixture: WriteFixture) {
  const records = await fixture.records();
  expect(records.length).toBeGreaterThanOrEqual(2);
  const invalid = fixture.invalid ? [await fixture.invalid()] : [];
  const input = [records[0], ...invalid, ...records.slice(1)];
  const before = await fixture.count();
  const results = await session.write(stream, input);
  expect(results).toHaveLength(input.length);
  if (invalid.length > 0) {
    const rejected = results[1];
    expect(rejected.ok).toBe(false);
    if (!rejected.ok) expect(rejected.message.length).toBeGreaterThan(0);
  }
  const created = results.filter((_, index) => invalid.length === 0 || index !== 1);
  const keys = externalKeys(created);
  expect(new Set(keys).size).toBe(records.length);
  expect(await fixture.count()).toBe(before + records.length);
}

/** Writing the same records again, from a new session, creates nothing and returns the same external keys. */
export async function checkWriteIdempotent(open: () => ConnectorSession, stream: string, fixture: WriteFixture) {
  const records = await fixture.records();
  const before = await fixture.count();
  const first = await withSession(open, (session) => session.write(stream, records));
  const second = await withSession(open, (session) => session.write(stream, records));
  expect(await fixture.count()).toBe(before + records.length);
  expect(externalKeys(second)).toEqual(externalKeys(first));
  expect(second.map((result) => result.ok && result.created)).toEqual(records.map(() => false));
}

export async function withSession<T>(open: () => ConnectorSession, fn: (session: ConnectorSession) => Promise<T>) {
  const session = open();
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
