import type { Issue } from "@kehu/core";

/** A JSON Schema object (draft 2020-12 subset that ajv understands). */
export type JsonSchema = Record<string, unknown>;

/** A record as a connector reads or writes it: plain JSON, keyed by the external system's field names. */
export type ExternalRecord = Record<string, unknown>;

/**
 * The JSON Schema of a connection's configuration. Properties holding secrets carry `"x-secret": true`
 * so the runner encrypts them at rest and never returns them from the API; `"x-multiline": true` marks a string
 * typed as several lines (a PEM certificate), which forms draw as a text area.
 */
export interface ConnectorSpec {
  /** Stable connector name, e.g. `sap-b1`. */
  name: string;
  /** Human label ({en, zh}). */
  label: { en: string; zh?: string };
  version: string;
  config: JsonSchema;
}

/** The outcome of `check`: whether the connection works, with a readable reason when not. */
export type CheckResult = { ok: true } | { ok: false; message: string; issues?: Issue[] };

export type SyncDirection = "pull" | "push";

/** One stream the connector offers (Singer's catalog entry). */
export interface StreamDescriptor {
  /** Stable stream name, e.g. `items`, `item_stock`, `sales_orders`. */
  name: string;
  label?: { en: string; zh?: string };
  /** JSON Schema of one record of the stream. */
  schema: JsonSchema;
  /** Field names forming the external key (e.g. `["ItemCode"]`, `["ItemCode", "WarehouseCode"]`). */
  primaryKey: string[];
  /** The field(s) an incremental read orders and resumes by; absent when the stream only reads in full. */
  cursorField?: string[];
  directions: SyncDirection[];
  /**
   * The field where a document created by `write` keeps the record's idempotency key (e.g. SAP's `NumAtCard`), so
   * that a read recognises a document pushed by a run that died before it could record the external key.
   */
  idempotencyKeyField?: string;
}

export interface Catalog {
  streams: StreamDescriptor[];
}

/**
 * Opaque, JSON-serialisable resume point of one stream. The connector defines its content; the runner stores
 * the latest checkpoint it received and hands it back to the next `read`.
 */
export type StreamState = Record<string, unknown>;

/** What `read` yields: records, and checkpoints after which everything yielded so far is safely resumable. */
export type ReadMessage =
  | { type: "record"; record: ExternalRecord }
  | { type: "state"; state: StreamState }
  | { type: "log"; level: "info" | "warn"; message: string };

export interface ReadOptions {
  /** Aborts the read (the runner stops at the next await). */
  signal?: AbortSignal;
}

/** One record to write, with the idempotency key the runner derived from the CRM record. */
export interface WriteRecord {
  /** Stable across retries of the same CRM change; the connector uses it so a retry never duplicates a document. */
  idempotencyKey: string;
  /** The external key when the record is already linked (an update); absent for a create. */
  externalKey?: string;
  record: ExternalRecord;
}

/** Per-record outcome of `write`, in the order of the input. */
export type WriteResult =
  | { ok: true; externalKey: string; record?: ExternalRecord; created: boolean }
  | { ok: false; message: string; code?: string; retryable: boolean };

export interface WriteOptions {
  signal?: AbortSignal;
}

/**
 * A connector after Singer/Airbyte: describe its config, check it, discover streams, read incrementally with
 * checkpoints, write with per-record results. A connector never imports the engine.
 *
 * @example
 * const conn = sapB1Connector.open({ baseUrl, companyDb, userName, password, apiVersion: "v2" });
 * for await (const m of conn.read("items", undefined)) if (m.type === "record") console.log(m.record.ItemCode);
 */
export interface Connector<Config = Record<string, unknown>> {
  spec: ConnectorSpec;
  /** Opens a session over a validated config; the runner validates the config against `spec.config` first. */
  open(config: Config): ConnectorSession;
}

export interface ConnectorSession {
  check(): Promise<CheckResult>;
  discover(): Promise<Catalog>;
  /** Reads a stream from `state` (undefined: from the beginning), yielding records and checkpoints. */
  read(stream: string, state: StreamState | undefined, options?: ReadOptions): AsyncIterable<ReadMessage>;
  /** Writes records to a stream that supports `push`, returning one result per input record. */
  write(stream: string, records: WriteRecord[], options?: WriteOptions): Promise<WriteResult[]>;
  /**
   * The external key a create under this idempotency key gets, for a stream whose new records take a key derived
   * from it (SAP business partners' `K…` CardCode); undefined otherwise. Lets a read recognise a record pushed by a
   * run that died before it could link it.
   */
  createdKeyOf?(stream: string, idempotencyKey: string): string | undefined;
  close(): Promise<void>;
}
