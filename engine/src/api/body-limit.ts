import { AppError } from "@kehu/core";
import type { MiddlewareHandler } from "hono";
import { bodyLimit as streamedBodyLimit } from "hono/body-limit";

/**
 * Refuses request bodies over `maxBytes` with 413. Hono's bodyLimit asks for `request.body` first, which makes the
 * Node adapter build a full web Request with a stream over the socket for every request, a cost on each create; a
 * body whose length the request declares is checked by that header alone (Node reads no further than it), and only
 * a body of unknown length (chunked) is counted as it streams in.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new AppError("payload_too_large", `The request body is larger than ${maxBytes / 1024 / 1024} MiB`);
  };
  const streamed = streamedBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    if (Number.parseInt(declared, 10) > maxBytes) tooLarge();
    return next();
  };
}
