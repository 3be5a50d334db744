import { ConnectorError, parseRetryAfter } from "@kehu/connector-kit";
import type { HttpReply } from "./http-transport";

/**
 * Reads an SL error body in either shape — v1 `{"error":{"code":-10,"message":{"lang","value"}}}` or v2
 * `{"error":{"code":"-10","message":"…"}}` — accepting both in either version, like robust clients do.
 */
export function parseSapError(text: string): { code?: string; message?: string } {
  if (!text.trim()) return {};
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    if (!error || typeof error !== "object") return {};
    const raw = error.message;
    const message =
      typeof raw === "string" ? raw : typeof raw === "object" && raw ? String((raw as { value?: unknown }).value) : "";
    return { code: error.code === undefined ? undefined : String(error.code), message: message || undefined };
  } catch {
    return {};
  }
}

/** A readable error carrying the HTTP status and the SAP code, e.g. `SAP B1 error -10 (HTTP 400): Item …`. */
export function replyError(reply: HttpReply, what: string): ConnectorError {
  const { code, message } = parseSapError(reply.text);
  const status = reply.status;
  const retryAfterMs = parseRetryAfter(reply.headers["retry-after"] as string | undefined);
  const detail = message
    ? `SAP B1 error ${code ?? "?"} on ${what} (HTTP ${status}): ${message}`
    : `SAP B1 answered HTTP ${status} on ${what}${reply.text.trim() ? `: ${readableText(reply.text)}` : " with an empty body"}`;
  const kind = status === 401 ? "auth" : "http";
  return new ConnectorError(kind, detail, { status, code, retryAfterMs });
}

/** A non-SAP body as one line of text: the Apache balancer in front of SL answers 502/503 with an HTML page. */
export function readableText(text: string): string {
  const html = /^\s*</.test(text);
  const plain = html
    ? text
        .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ")
        .replace(/<[^>]*>/g, " ")
        .replace(/&amp;/g, "&")
    : text;
  return plain.replace(/\s+/g, " ").trim().slice(0, 200);
}
