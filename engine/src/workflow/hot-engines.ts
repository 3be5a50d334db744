import type { HotEngine } from "./run-engine";

interface Entry {
  hot: HotEngine;
  revision: number;
  /** The xmin of the row version the step wrote: a rolled-back step's revision number may be written again later. */
  version: string;
}

/**
 * The engines this process left waiting after its latest steps, least recently used dropped first. A step takes the
 * engine of its instance out (so no other step of this process can use it meanwhile) and continues it only when the
 * row it locked is the very row version that engine's step wrote (revision and xmin); otherwise the engine is dropped
 * and the step recovers from the stored state, the truth. An engine goes back in only after its step's writes.
 */
export class HotEngines {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly capacity = 64) {}

  take(instanceId: string, row: { revision?: unknown; row_version?: unknown }): HotEngine | undefined {
    const entry = this.entries.get(instanceId);
    if (!entry) return undefined;
    this.entries.delete(instanceId);
    const current = entry.revision === Number(row.revision) && entry.version === row.row_version;
    return current ? entry.hot : undefined;
  }

  put(instanceId: string, hot: HotEngine, revision: number, version: string): void {
    this.entries.delete(instanceId);
    this.entries.set(instanceId, { hot, revision, version });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
