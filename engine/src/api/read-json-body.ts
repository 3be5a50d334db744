import { AppError } from "@kehu/core";
import type { Context } from "hono";
import { MAX_JSON_DEPTH, nestsTooDeeply } from "../records/json-depth";

/** Largest request body accepted, in bytes (bulk upserts of 10,000 records fit). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Reads a JSON request body: 415 unless it is JSON, 413 when larger than the limit, 400 naming the
 * position when it does not parse or when it nests deeper than `MAX_JSON_DEPTH`.
 */
export async function readJsonBody(c: Context, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  assertJsonType(c);
  const text = await bodyText(c, maxBytes);
  if (!text.trim()) throw new AppError("malformed_json", "The request body is empty; send a JSON document");
  return parseJson(text);
}

/**
 * Like `readJsonBody`, for a route whose body is optional: no body, or an empty one (as `curl -X POST -H
 * 'content-type: application/json'` sends), is undefined; any other body must be JSON.
 */
export async function readOptionalJsonBody(c: Context, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await bodyText(c, maxBytes);
  if (!text.trim()) return undefined;
  assertJsonType(c);
  return parseJson(text);
}

function assertJsonType(c: Context): void {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type))
    throw new AppError("unsupported_media_type", `Send the body as application/json (got "${type || "nothing"}")`);
}

async function bodyText(c: Context, maxBytes: number): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const buffer = await c.req.arrayBuffer();
  if (buffer.byteLength > maxBytes) throw tooLarge(maxBytes);
  return new TextDecoder("utf-8", { fatal: false }).decode(buffer);
}

function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AppError("malformed_json", `The request body is not valid JSON: ${(e as Error).message}`);
  }
  if (nestsTooDeeply(value))
    throw new AppError("bad_request", `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`);
}
