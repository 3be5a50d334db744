import {
  type Connector,
  ConnectorError,
  type ConnectorSession,
  type ExternalRecord,
  type ReadMessage,
  type StreamDescriptor,
  type StreamState,
  type WriteRecord,
  type WriteResult,
} from "@kehu/connector-kit";

export interface MemoryStream {
  descriptor: StreamDescriptor;
  records: ExternalRecord[];
}

/**
 * A write fault, taken once per write call, in order: thrown before the write, thrown after it (a lost response), a
 * retryable result, or a refused login (a permanent failure, thrown before the write).
 */
export type WriteFault = "timeout" | "lost_response" | "retryable" | "login_refused";

/**
 * An external system held in memory, for the runner's tests: streams ordered by `updatedAt` then key, read in
 * pages with a checkpoint after each, written with idempotency keys; faults are queued by the test.
 */
export class MemorySystem {
  readonly streams = new Map<string, MemoryStream>();
  pageSize = 2;
  /** Re-read records whose `updatedAt` equals the checkpoint (like an `UpdateDate ge` query). */
  overlap = false;
  password = "s3cret";
  /** Throw once a read has yielded this many records (then clear). */
  failReadAfter: number | undefined;
  readonly writeFaults: WriteFault[] = [];
  /** A per-record refusal (non-retryable), e.g. a business rule of the ERP. */
  reject: ((record: ExternalRecord) => string | undefined) | undefined;
  /** A per-record failure a retry might fix, answered on every attempt (an ERP internal error on one document). */
  failRetryably: ((record: ExternalRecord) => string | undefined) | undefined;
  readonly writeCalls: WriteRecord[][] = [];
  private gate: Promise<void> | undefined;
  private readonly done = new Map<string, WriteResult>();
  private clock = Date.parse("2026-01-01T00:00:00Z");
  private serial = 0;

  addStream(descriptor: Omit<StreamDescriptor, "directions"> & { directions?: StreamDescriptor["directions"] }) {
    this.streams.set(descriptor.name, {
      descriptor: { directions: ["pull", "push"], cursorField: ["updatedAt"], ...descriptor },
      records: [],
    });
  }

  /** Makes reads wait until the returned release is called (a run held in progress). */
  hold(): () => void {
    let release = () => {};
    this.gate = new Promise<void>((resolve) => {
      release = () => {
        this.gate = undefined;
        resolve();
      };
    });
    return release;
  }

  /** A monotonic ERP time, one second after the last. */
  now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  /** Creates or changes a record, stamping `updatedAt`. */
  upsert(stream: string, record: ExternalRecord): ExternalRecord {
    const s = this.stream(stream);
    const key = s.descriptor.primaryKey[0];
    const found = s.records.find((r) => r[key] === record[key]);
    const next = { ...found, ...record, updatedAt: (record.updatedAt as string | undefined) ?? this.now() };
    if (found) Object.assign(found, next);
    else s.records.push(next);
    return next;
  }

  stream(name: string): MemoryStream {
    const s = this.streams.get(name);
    if (!s) throw new Error(`no stream ${name}`);
    return s;
  }

  private keyOf(s: MemoryStream, r: ExternalRecord): string {
    return String(r[s.descriptor.primaryKey[0]]);
  }

  async *read(name: string, state: StreamState | undefined): AsyncIterable<ReadMessage> {
    await this.gate;
    const s = this.stream(name);
    const after = state as { updatedAt: string; key: string } | undefined;
    const rows = [...s.records]
      .sort(
        (a, b) =>
          String(a.updatedAt).localeCompare(String(b.updatedAt)) || this.keyOf(s, a).localeCompare(this.keyOf(s, b)),
      )
      .filter((r) => {
        if (!after) return true;
        const t = String(r.updatedAt);
        if (this.overlap) return t >= after.updatedAt;
        return t > after.updatedAt || (t === after.updatedAt && this.keyOf(s, r) > after.key);
      });
    let yielded = 0;
    for (let i = 0; i < rows.length; i += this.pageSize) {
      const page = rows.slice(i, i + this.pageSize);
      for (const r of page) {
        if (this.failReadAfter !== undefined && yielded >= this.failReadAfter) {
          this.failReadAfter = undefined;
          throw new Error("connection reset by peer");
        }
        yielded++;
        yield { type: "record", record: structuredClone(r) };
      }
      const last = page[page.length - 1];
      yield { type: "state", state: { updatedAt: last.updatedAt, key: this.keyOf(s, last) } };
    }
  }

  async write(name: string, records: WriteRecord[]): Promise<WriteResult[]> {
    this.writeCalls.push(records);
    const fault = this.writeFaults.shift();
    if (fault === "timeout") throw new Error("timeout after 30000 ms");
    if (fault === "login_refused") throw new ConnectorError("auth", "Login failed: wrong user name or password");
    if (fault === "retryable")
      return records.map(() => ({ ok: false, message: "503 Service Unavailable", retryable: true }));
    const results = records.map((w) => this.writeOne(name, w));
    if (fault === "lost_response") throw new Error("socket hang up");
    return results;
  }

  private writeOne(name: string, w: WriteRecord): WriteResult {
    const seen = this.done.get(w.idempotencyKey);
    if (seen) return seen;
    const refusal = this.reject?.(w.record);
    if (refusal) return { ok: false, message: refusal, retryable: false };
    const internal = this.failRetryably?.(w.record);
    if (internal) return { ok: false, message: internal, retryable: true };
    const s = this.stream(name);
    const keyField = s.descriptor.primaryKey[0];
    const externalKey = w.externalKey ?? String(w.record[keyField] ?? `M${++this.serial}`);
    const created = !s.records.some((r) => this.keyOf(s, r) === externalKey);
    const record = this.upsert(name, { ...w.record, [keyField]: externalKey });
    const result: WriteResult = { ok: true, externalKey, created, record };
    this.done.set(w.idempotencyKey, result);
    return result;
  }
}

/** A connector over one MemorySystem; its config names the system and carries a secret password. */
export function memoryConnector(system: MemorySystem): Connector {
  return {
    spec: {
      name: "memory",
      label: { en: "Memory ERP", zh: "内存 ERP" },
      version: "1.0.0",
      config: {
        type: "object",
        properties: {
          baseUrl: { type: "string", format: "uri" },
          userName: { type: "string" },
          password: { type: "string", "x-secret": true },
        },
        required: ["baseUrl", "password"],
        additionalProperties: false,
      },
    },
    open(config): ConnectorSession {
      return {
        async check() {
          return config.password === system.password ? { ok: true } : { ok: false, message: "Login failed" };
        },
        async discover() {
          return { streams: [...system.streams.values()].map((s) => s.descriptor) };
        },
        read: (stream, state) => system.read(stream, state),
        write: (stream, records) => system.write(stream, records),
        async close() {},
      };
    },
  };
}
