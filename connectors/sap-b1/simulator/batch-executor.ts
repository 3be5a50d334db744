import { randomUUID } from "node:crypto";
import { type BatchRequest, parseBatch } from "./batch-parser";
import { type DispatchConfig, dispatch } from "./dispatch";
import { jsonContentType } from "./http-response";
import { SapError, type ServiceVersion, sapErrorBody, sapErrors } from "./sap-error";
import type { SlResponse } from "./sl-request";
import type { SapStore } from "./store";

export type BatchContext = { store: SapStore; version: ServiceVersion; serviceRoot: string; config: DispatchConfig };
type Part = { contentId?: string; response: SlResponse };

/**
 * Runs parts in order and stops at the first failure. A change set is atomic: on error nothing of it stays
 * and it answers with one error part. v1 answers 202 Accepted, v2 200 OK.
 */
export function executeBatch(ctx: BatchContext, body: string, contentType: string | undefined) {
  const items = parseBatch(body, contentType);
  const boundary = `batchresponse_${randomUUID()}`;
  const chunks: string[] = [];
  for (const item of items) {
    if (item.kind === "request") {
      const part = runPart(ctx, item.request, new Map());
      chunks.push(`--${boundary}\r\n${renderPart(ctx.version, part)}`);
      if (part.response.status >= 400) break;
      continue;
    }
    const result = runChangeset(ctx, item.requests);
    if ("error" in result) {
      chunks.push(
        `--${boundary}\r\n${renderPart(ctx.version, { response: errorResponse(ctx.version, result.error) })}`,
      );
      break;
    }
    const changeset = `changesetresponse_${randomUUID()}`;
    const inner = result.parts.map((part) => `--${changeset}\r\n${renderPart(ctx.version, part)}`).join("");
    chunks.push(
      `--${boundary}\r\nContent-Type: multipart/mixed;boundary=${changeset}\r\n\r\n${inner}--${changeset}--\r\n`,
    );
  }
  return {
    status: ctx.version === "v1" ? 202 : 200,
    contentType: `multipart/mixed;boundary=${boundary}`,
    text: `${chunks.join("")}--${boundary}--\r\n`,
  };
}

function runChangeset(ctx: BatchContext, requests: BatchRequest[]): { parts: Part[] } | { error: SapError } {
  const locations = new Map<string, string>();
  try {
    return {
      parts: ctx.store.transaction(() =>
        requests.map((request) => {
          if (request.method === "GET") throw sapErrors.badRequest("A change set must not contain GET requests");
          if (ctx.version === "v2" && !request.contentId)
            throw sapErrors.badRequest("Content-ID is mandatory in a change set");
          const response = dispatch(ctx.store, toSlRequest(ctx, request, locations), ctx.config);
          const location = response.headers?.Location;
          if (request.contentId && location)
            locations.set(request.contentId, location.slice(ctx.serviceRoot.length + 1));
          return { contentId: request.contentId, response };
        }),
      ),
    };
  } catch (error) {
    if (error instanceof SapError) return { error };
    throw error;
  }
}

function runPart(ctx: BatchContext, request: BatchRequest, locations: Map<string, string>): Part {
  try {
    return {
      contentId: request.contentId,
      response: dispatch(ctx.store, toSlRequest(ctx, request, locations), ctx.config),
    };
  } catch (error) {
    if (error instanceof SapError) return { contentId: request.contentId, response: errorResponse(ctx.version, error) };
    throw error;
  }
}

function toSlRequest(ctx: BatchContext, request: BatchRequest, locations: Map<string, string>) {
  const url = new URL(request.url, `${ctx.serviceRoot}/`);
  let path = url.pathname.replace(/^\/b1s\/v[12]\//, "").replace(/^\//, "");
  const reference = /^\$([^/]+)(.*)$/.exec(path);
  if (reference) {
    const target = locations.get(reference[1]);
    if (!target) throw sapErrors.badRequest(`Unknown Content-ID reference '$${reference[1]}'`);
    path = target + reference[2];
  }
  let body: unknown;
  try {
    body = request.body ? JSON.parse(request.body) : undefined;
  } catch {
    throw sapErrors.badRequest("Invalid JSON in a batch part");
  }
  return {
    method: request.method,
    version: ctx.version,
    path,
    params: url.searchParams,
    headers: request.headers,
    body,
    serviceRoot: ctx.serviceRoot,
  };
}

function errorResponse(version: ServiceVersion, error: SapError): SlResponse {
  return { status: error.status, json: sapErrorBody(version, error) };
}

function renderPart(version: ServiceVersion, part: Part): string {
  const { response } = part;
  const head = `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n${part.contentId ? `Content-ID: ${part.contentId}\r\n` : ""}\r\n`;
  const headers = {
    ...(response.json === undefined ? {} : { "Content-Type": jsonContentType(version) }),
    ...response.headers,
  };
  const headerLines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  const content = response.json === undefined ? (response.text ?? "") : JSON.stringify(response.json);
  return `${head}HTTP/1.1 ${response.status} ${statusText(response.status)}\r\n${headerLines}\r\n${content}\r\n`;
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    500: "Internal Server Error",
  };
  return texts[status] ?? "Unknown";
}
