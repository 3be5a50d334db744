import { randomUUID } from "node:crypto";
import { ConnectorError } from "@kehu/connector-kit";
import type { HttpReply } from "./http-transport";
import type { ServiceLayerClient, SlJson } from "./service-layer-client";

/** One write inside a `$batch`, each in its own change set so a rejected record rolls back only itself. */
export interface BatchOperation {
  method: "POST" | "PATCH";
  /** Path relative to the service root, e.g. `Orders` or `Orders(12)`. */
  path: string;
  body: unknown;
}

/** The answer to one operation; `undefined` in the result list when SL stopped before reaching it. */
export interface BatchPartReply {
  status: number;
  headers: Record<string, string>;
  json?: SlJson;
  text: string;
}

/**
 * Sends writes as one `$batch` (multipart/mixed, unquoted boundaries, one change set per operation, mandatory
 * Content-ID). SL stops at the first failing part, so the result has a reply only for the parts it executed.
 */
export async function sendBatch(
  client: ServiceLayerClient,
  operations: BatchOperation[],
  signal?: AbortSignal,
): Promise<(BatchPartReply | undefined)[]> {
  const boundary = `batch_${randomUUID()}`;
  // Parts name SL's own path: a reverse proxy serving SL under a prefix rewrites the request line, not the body.
  const root = `/b1s/${client.version}`;
  const parts = operations.map((operation, index) => {
    const changeset = `changeset_${randomUUID()}`;
    const body = JSON.stringify(operation.body);
    return [
      `--${boundary}`,
      `Content-Type: multipart/mixed;boundary=${changeset}`,
      "",
      `--${changeset}`,
      "Content-Type: application/http",
      "Content-Transfer-Encoding: binary",
      `Content-ID: ${index + 1}`,
      "",
      `${operation.method} ${root}/${operation.path}`,
      "Content-Type: application/json",
      "",
      body,
      `--${changeset}--`,
    ].join("\r\n");
  });
  const raw = `${parts.join("\r\n")}\r\n--${boundary}--\r\n`;
  const reply = await client.request("POST", "$batch", {
    raw,
    headers: { "Content-Type": `multipart/mixed;boundary=${boundary}` },
    signal,
  });
  const replies = parseBatchReply(reply);
  return operations.map((_, index) => replies[index]);
}

/** Top-level part i answers change set i: a nested multipart on success, a single application/http part on failure. */
export function parseBatchReply(reply: HttpReply): BatchPartReply[] {
  const boundary = boundaryOf(reply.headers["content-type"]);
  return splitMultipart(reply.text, boundary).map((part) => {
    const { headers, content } = splitHead(part);
    const type = headers["content-type"] ?? "";
    if (type.toLowerCase().startsWith("multipart/mixed")) {
      const inner = splitMultipart(content, boundaryOf(type));
      if (inner.length === 0) throw protocolError("an empty change set response");
      return parseHttpPart(splitHead(inner[0]).content);
    }
    return parseHttpPart(content);
  });
}

function parseHttpPart(text: string): BatchPartReply {
  const lines = text.replace(/^\s+/, "");
  const { startLine, headers, content } = splitHead(lines, true);
  const status = Number(/^HTTP\/\d\.\d\s+(\d{3})/.exec(startLine)?.[1]);
  if (!status) throw protocolError(`a part without a status line ("${startLine.slice(0, 40)}")`);
  const body = content.trim();
  let json: SlJson | undefined;
  if (body.startsWith("{")) {
    try {
      json = JSON.parse(body) as SlJson;
    } catch {
      json = undefined;
    }
  }
  return { status, headers, json, text: body };
}

function boundaryOf(contentType: string | undefined): string {
  const match = /boundary="?([^";\s]+)"?/i.exec(contentType ?? "");
  if (!match) throw protocolError(`no multipart boundary in "${contentType ?? ""}"`);
  return match[1];
}

function splitMultipart(body: string, boundary: string): string[] {
  const text = body.replace(/\r\n/g, "\n");
  const delimiter = `--${boundary}`;
  const end = text.indexOf(`${delimiter}--`);
  const start = text.indexOf(delimiter);
  if (start < 0) return [];
  return text
    .slice(start + delimiter.length, end < 0 ? undefined : end)
    .split(`\n${delimiter}`)
    .map((part) => part.replace(/^[ \t]*\n/, ""))
    .filter((part) => part.trim().length > 0);
}

function splitHead(text: string, withStartLine = false) {
  const lines = text.split("\n");
  const startLine = withStartLine ? (lines.shift() ?? "").trim() : "";
  const headers: Record<string, string> = {};
  let index = 0;
  for (; index < lines.length && lines[index].trim() !== ""; index++) {
    const colon = lines[index].indexOf(":");
    if (colon > 0) headers[lines[index].slice(0, colon).trim().toLowerCase()] = lines[index].slice(colon + 1).trim();
  }
  return { startLine, headers, content: lines.slice(index + 1).join("\n") };
}

function protocolError(what: string): ConnectorError {
  return new ConnectorError("protocol", `The $batch response is malformed: ${what}`);
}
