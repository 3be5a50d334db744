import type {
  ConflictResolution,
  SyncConflict,
  SyncConnection,
  SyncConnectionInput,
  SyncConnector,
  SyncDeadLetter,
  SyncLedgerEntry,
  SyncLedgerQuery,
  SyncRun,
} from "./sync-types";

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;
/** Opens a streaming GET (server-sent events) and returns its response. */
type Stream = (path: string, signal: AbortSignal) => Promise<Response>;

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Reads server-sent events from a response body, calling `onEvent(name, data)` for each. */
export async function readEvents(res: Response, onEvent: (event: string, data: string) => void): Promise<void> {
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n/g, "\n");
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) onEvent(event, data.join("\n"));
      end = buffer.indexOf("\n\n");
    }
  }
}

/** The sync API (`/api/sync/...`, administrators only): connections, runs, the ledger, failed records and conflicts. */
export function syncApi(request: Request, stream: Stream) {
  const list = async <T>(path: string) => (await request<{ data: T[] }>("GET", path)).data;
  return {
    connectors: () => list<SyncConnector>("/api/sync/connectors"),
    connections: {
      list: () => list<SyncConnection>("/api/sync/connections"),
      get: (name: string) => request<SyncConnection>("GET", `/api/sync/connections/${enc(name)}`),
      create: (input: SyncConnectionInput) => request<SyncConnection>("POST", "/api/sync/connections", input),
      /** Replaces a connection; a secret sent back as `********` keeps the stored one. */
      update: (name: string, input: Omit<SyncConnectionInput, "name">) =>
        request<SyncConnection>("PUT", `/api/sync/connections/${enc(name)}`, input),
      remove: (name: string) => request<void>("DELETE", `/api/sync/connections/${enc(name)}`),
      check: (name: string) =>
        request<{ ok: boolean; message?: string; streams?: string[] }>(
          "POST",
          `/api/sync/connections/${enc(name)}/check`,
          {},
        ),
    },
    runs: {
      list: (q: { connection?: string; status?: string; limit?: number } = {}) =>
        list<SyncRun>(`/api/sync/runs${query(q)}`),
      get: (id: string) => request<SyncRun>("GET", `/api/sync/runs/${enc(id)}`),
      start: (input: { connection: string; streams?: string[]; full?: boolean }) =>
        request<SyncRun>("POST", "/api/sync/runs", input),
      cancel: (id: string) => request<{ id: string; cancelling: boolean }>("POST", `/api/sync/runs/${enc(id)}/cancel`),
      /** Runs a run's streams again from the checkpoints it started at (or from `state`, per stream; null: the start). */
      replay: (id: string, state?: Record<string, Record<string, unknown> | null>) =>
        request<SyncRun>("POST", `/api/sync/runs/${enc(id)}/replay`, state ? { state } : {}),
      /**
       * Follows a run's progress (server-sent events) until it ends or `stop()` is called; `onRun` gets the run at
       * every page and at the end.
       */
      follow: (id: string, onRun: (run: SyncRun, ended: boolean) => void): { stop(): void; done: Promise<void> } => {
        const abort = new AbortController();
        const done = stream(`/api/sync/runs/${enc(id)}/events`, abort.signal)
          .then((res) => readEvents(res, (event, data) => onRun(JSON.parse(data) as SyncRun, event === "end")))
          .catch((e) => {
            if (!abort.signal.aborted) throw e;
          });
        return { stop: () => abort.abort(), done };
      },
    },
    /**
     * The sync ledger: each record's passage through the runs, newest first; pass the page's `nextCursor` as `before`
     * for the next one.
     */
    ledger: (q: SyncLedgerQuery = {}) =>
      request<{ data: SyncLedgerEntry[]; nextCursor: string | null }>("GET", `/api/sync/ledger${query({ ...q })}`),
    deadLetters: {
      list: (q: { connection?: string; status?: string; run?: string; limit?: number } = {}) =>
        list<SyncDeadLetter>(`/api/sync/dead-letters${query(q)}`),
      /** Replays the record through the mapping as it is now; a run with `failed > 0` means it failed again. */
      retry: (id: number) =>
        request<{ deadLetter: SyncDeadLetter; run: SyncRun }>("POST", `/api/sync/dead-letters/${id}/retry`, {}),
      discard: (id: number) => request<SyncDeadLetter>("POST", `/api/sync/dead-letters/${id}/discard`, {}),
    },
    conflicts: {
      list: (q: { connection?: string; status?: string; limit?: number } = {}) =>
        list<SyncConflict>(`/api/sync/conflicts${query(q)}`),
      resolve: (id: number, resolution: ConflictResolution) =>
        request<SyncConflict>("POST", `/api/sync/conflicts/${id}/resolve`, resolution),
    },
  };
}
