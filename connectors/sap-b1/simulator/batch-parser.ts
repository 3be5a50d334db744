import { sapErrors } from "./sap-error";

export type BatchRequest = { method: string; url: string; headers: Headers; body: string; contentId?: string };
export type BatchItem = { kind: "request"; request: BatchRequest } | { kind: "changeset"; requests: BatchRequest[] };

/** Parses a multipart/mixed $batch body: plain request parts and change sets (nested multipart/mixed). */
export function parseBatch(body: string, contentType: string | undefined): BatchItem[] {
  return splitParts(body, boundaryOf(contentType)).map((part) => {
    const { headers, content } = splitHeaders(part);
    const type = headers.get("content-type") ?? "";
    if (type.toLowerCase().startsWith("multipart/mixed")) {
      return { kind: "changeset", requests: splitParts(content, boundaryOf(type)).map(parseRequestPart) };
    }
    return { kind: "request", request: parseRequestPart(part) };
  });
}

/** SL wants an unquoted boundary; quoted ones are rejected, as integrators found out. */
function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=([^;\s]+)/i.exec(contentType ?? "");
  if (!match || match[1].startsWith('"')) throw sapErrors.incompleteBatch();
  return match[1];
}

function splitParts(body: string, boundary: string): string[] {
  const text = body.replace(/\r\n/g, "\n");
  const delimiter = `--${boundary}`;
  const closing = text.indexOf(`${delimiter}--`);
  const first = text.indexOf(delimiter);
  if (first < 0 || closing < 0) throw sapErrors.incompleteBatch();
  return text
    .slice(first + delimiter.length, closing)
    .split(`\n${delimiter}`)
    .map((part) => part.replace(/^[ \t]*\n/, ""))
    .filter((part) => part.trim().length > 0);
}

function parseRequestPart(part: string): BatchRequest {
  const outer = splitHeaders(part);
  const inner = splitHeaders(outer.content, true);
  const [method, url] = inner.startLine.split(/\s+/);
  if (!method || !url) throw sapErrors.incompleteBatch();
  return {
    method: method.toUpperCase(),
    url,
    headers: inner.headers,
    body: inner.content.trim(),
    contentId: outer.headers.get("content-id") ?? undefined,
  };
}

function splitHeaders(text: string, withStartLine = false): { startLine: string; headers: Headers; content: string } {
  const lines = text.split("\n");
  const startLine = withStartLine ? (lines.shift() ?? "").trim() : "";
  const headers = new Headers();
  let index = 0;
  for (; index < lines.length && lines[index].trim() !== ""; index++) {
    const colon = lines[index].indexOf(":");
    if (colon < 0) throw sapErrors.incompleteBatch();
    headers.append(lines[index].slice(0, colon).trim(), lines[index].slice(colon + 1).trim());
  }
  return { startLine, headers, content: lines.slice(index + 1).join("\n") };
}
