import type { ConnectorSession, ExternalRecord, StreamState } from "../contract";

/** A full read with the position of every checkpoint (the number of records yielded before it). */
export interface ReadTrace {
  records: ExternalRecord[];
  checkpoints: { at: number; state: StreamState }[];
}

export async function readAll(session: ConnectorSession, stream: string, state?: StreamState): Promise<ReadTrace> {
  const trace: ReadTrace = { records: [], checkpoints: [] };
  for await (const message of session.read(stream, state)) {
    if (message.type === "record") trace.records.push(message.record);
    // The round trip proves the checkpoint is plain JSON, as the runner stores it.
    else if (message.type === "state")
      trace.checkpoints.push({ at: trace.records.length, state: JSON.parse(JSON.stringify(message.state)) });
  }
  return trace;
}

export function keyOf(record: ExternalRecord, primaryKey: string[]): string {
  return JSON.stringify(primaryKey.map((field) => record[field] ?? null));
}

/** Evenly spread indexes into a list of `length`, always including the first and the last. */
export function sampleIndexes(length: number, samples: number): number[] {
  if (length <= samples) return Array.from({ length }, (_, i) => i);
  const step = (length - 1) / (samples - 1);
  return [...new Set(Array.from({ length: samples }, (_, i) => Math.round(i * step)))];
}
