import { createAjv } from "@kehu/schema";
import { expect } from "vitest";
import type { ConnectorSession, StreamDescriptor } from "../contract";
import type { StreamFixture } from "./conformance-options";
import { keyOf, readAll, sampleIndexes } from "./read-all";

/** A full read: records valid against the stream schema, unique keys, JSON checkpoints, the last one at the end. */
export async function checkRead(session: ConnectorSession, stream: StreamDescriptor, fixture: StreamFixture) {
  const trace = await readAll(session, stream.name);
  expect(trace.records.length).toBeGreaterThanOrEqual(fixture.minRecords ?? 1);
  const validate = createAjv().compile(stream.schema);
  for (const record of trace.records) {
    if (!validate(record)) expect({ record, errors: validate.errors }).toBeUndefined();
    for (const field of stream.primaryKey) expect(record[field] ?? null).not.toBeNull();
  }
  const keys = trace.records.map((record) => keyOf(record, stream.primaryKey));
  expect(new Set(keys).size).toBe(keys.length);
  expect(trace.checkpoints.length).toBeGreaterThan(0);
  expect(trace.checkpoints.at(-1)?.at).toBe(trace.records.length);
  return trace;
}

/**
 * Resumes from sampled checkpoints: what was read before the checkpoint plus what the resumed read yields covers
 * every record (nothing skipped), and at most `maxOverlap` records come again (the runner dedupes them by key).
 * A snapshot stream (no cursor field) may start a new snapshot after its final checkpoint, so that one is skipped.
 */
export async function checkResume(session: ConnectorSession, stream: StreamDescriptor, fixture: StreamFixture) {
  const full = await readAll(session, stream.name);
  const allKeys = full.records.map((record) => keyOf(record, stream.primaryKey));
  const candidates = full.checkpoints.filter(
    (checkpoint) => stream.cursorField !== undefined || checkpoint.at < full.records.length,
  );
  for (const index of sampleIndexes(candidates.length, fixture.resumeSamples ?? 6)) {
    const checkpoint = candidates[index];
    const before = new Set(allKeys.slice(0, checkpoint.at));
    const resumed = await readAll(session, stream.name, checkpoint.state);
    const resumedKeys = resumed.records.map((record) => keyOf(record, stream.primaryKey));
    const resumedSet = new Set(resumedKeys);
    const missing = allKeys.filter((key) => !before.has(key) && !resumedSet.has(key));
    expect({ checkpoint: checkpoint.state, missing }).toEqual({ checkpoint: checkpoint.state, missing: [] });
    const again = resumedKeys.filter((key) => before.has(key));
    expect(again.length, `records read again after ${JSON.stringify(checkpoint.state)}`).toBeLessThanOrEqual(
      fixture.maxOverlap ?? 0,
    );
    expect(resumedSet.size).toBe(resumedKeys.length);
  }
}
