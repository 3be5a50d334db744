/**
 * `$batch` wire format for the independent test Service Layer, from the fact sheet (§5, manual §3.10): a
 * multipart/mixed body whose parts are change sets (nested multipart/mixed) or single application/http requests.
 * The answer has one top-level part per change set: a nested multipart holding the change set's responses, or,
 * when the change set failed, the single error response.
 */
export interface BatchSubRequest {
  method: string;
  path: string;
  contentId?: string;
  body?: unknown;
}

export interface BatchSubResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  contentId?: string;
}

const reasons: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  404: "Not Found",
};

/** The change sets of a `$batch` body (a lone request outside a change set counts as a change set of one). */
export function parseBatchBody(body: string, contentType: string): BatchSubRequest[][] {
  const boundary = /boundary=([^;\s]+)/i.exec(contentType)?.[1];
  if (!boundary || boundary.startsWith('"')) throw new Error("Incomplete Batch Request Body!");
  return parts(body, boundary).map((part) => {
    const { headers, content } = head(part);
    const inner = /boundary=([^;\s]+)/i.exec(headers["content-type"] ?? "")?.[1];
    if (inner) return parts(content, inner).map(subRequest);
    return [subRequest(part)];
  });
}

function parts(body: string, boundary: string): string[] {
  const text = body.replaceAll("\r\n", "\n");
  const close = text.indexOf(`--${boundary}--`);
  if (close < 0) throw new Error("Incomplete Batch Request Body!");
  return text
    .slice(0, close)
    .split(`--${boundary}\n`)
    .slice(1)
    .map((part) => part.replace(/\n$/, ""));
}

function head(text: string): { headers: Record<string, string>; content: string } {
  const end = text.indexOf("\n\n");
  const lines = (end < 0 ? text : text.slice(0, end)).split("\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, content: end < 0 ? "" : text.slice(end + 2) };
}

function subRequest(part: string): BatchSubRequest {
  const outer = head(part);
  const message = outer.content;
  const [requestLine, ...rest] = message.split("\n");
  const [method, path] = requestLine.trim().split(/\s+/);
  const inner = head(rest.join("\n"));
  const text = inner.content.trim();
  return { method, path, contentId: outer.headers["content-id"], body: text ? JSON.parse(text) : undefined };
}

/** Formats the answer: `changesets[i]` is either all responses of change set i, or its single error. */
export function formatBatchReply(
  changesets: { ok: boolean; responses: BatchSubResponse[] }[],
  withContentId: boolean,
): { boundary: string; body: string } {
  const boundary = `batchresponse_${Math.random().toString(16).slice(2)}`;
  const out: string[] = [];
  for (const changeset of changesets) {
    out.push(`--${boundary}`);
    if (!changeset.ok) {
      out.push(...httpPart(changeset.responses[0], false));
      continue;
    }
    const inner = `changesetresponse_${Math.random().toString(16).slice(2)}`;
    out.push(`Content-Type: multipart/mixed;boundary=${inner}`, "");
    for (const response of changeset.responses) out.push(`--${inner}`, ...httpPart(response, withContentId));
    out.push(`--${inner}--`);
  }
  out.push(`--${boundary}--`, "");
  return { boundary, body: out.join("\r\n") };
}

function httpPart(response: BatchSubResponse, withContentId: boolean): string[] {
  const lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"];
  if (withContentId && response.contentId) lines.push(`Content-ID: ${response.contentId}`);
  lines.push("", `HTTP/1.1 ${response.status} ${reasons[response.status] ?? ""}`.trimEnd());
  for (const [name, value] of Object.entries(response.headers ?? {})) lines.push(`${name}: ${value}`);
  if (response.body !== undefined) lines.push("Content-Type: application/json;charset=utf-8");
  lines.push("", response.body === undefined ? "" : JSON.stringify(response.body));
  return lines;
}
