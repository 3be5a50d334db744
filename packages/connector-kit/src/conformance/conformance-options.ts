import type { Connector, WriteRecord } from "../contract";

/** What the suite needs to exercise one push stream. */
export interface WriteFixture {
  /** Fresh records to create, each with its own idempotency key (called once per test). */
  records: () => WriteRecord[] | Promise<WriteRecord[]>;
  /** A record the external system must reject (e.g. an unknown customer); placed mid-batch to check ordering. */
  invalid?: () => WriteRecord | Promise<WriteRecord>;
  /** How many documents of this stream the external system holds now. */
  count: () => Promise<number>;
}

/** Per-stream expectations and hooks. */
export interface StreamFixture {
  /** A full read must yield at least this many records (default 1), so an empty read cannot pass. */
  minRecords?: number;
  /**
   * Most records one resume may yield again (the runner dedupes them by key): the overlap window of an
   * incremental stream. Default 0: resume is exact.
   */
  maxOverlap?: number;
  /** How many checkpoints to resume from, spread evenly (default 6). */
  resumeSamples?: number;
  write?: WriteFixture;
}

/** Input of `describeConnectorConformance`. Factories are called inside tests, after the caller's `beforeAll`. */
export interface ConformanceOptions<Config> {
  connector: Connector<Config>;
  /** A working configuration. */
  config: () => Config;
  /** The working configuration with wrong credentials. */
  badCredentials: () => Config;
  /** A configuration pointing at a host that does not answer. */
  unreachable: () => Config;
  /** Every stream of `discover`, by name; a stream missing here fails the suite. */
  streams: Record<string, StreamFixture>;
  /** Per-test timeout in ms (default 60 s). */
  timeoutMs?: number;
}
