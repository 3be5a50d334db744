import { AppError, isAppError, PROBLEM_CONTENT_TYPE, type Problem } from "@kehu/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "../logger";
import { appErrorFromDatabase } from "./database-errors";
import { statusOf, TITLES } from "./error-status";

/** The problem+json body of an AppError. */
export function problemOf(error: AppError, instance?: string): Problem {
  const problem: Problem = {
    type: `https://kehu.dev/problems/${error.code.replaceAll("_", "-")}`,
    title: TITLES[error.code],
    status: statusOf(error.code),
    detail: error.message,
    ...error.extra,
  };
  if (instance) problem.instance = instance;
  if (error.issues.length) problem.errors = error.issues;
  return problem;
}

export function problemResponse(error: AppError, instance?: string): Response {
  const problem = problemOf(error, instance);
  const headers: Record<string, string> = { "content-type": PROBLEM_CONTENT_TYPE };
  // A body refused as too large is left unread, so the server drops the connection after answering: said, a client
  // does not send its next request on a socket about to close ("other side closed").
  if (error.code === "payload_too_large") headers.connection = "close";
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}

/** Hono `onError`: every failure leaves as problem+json; only real faults are 500, logged, with no internals shown. */
export function onErrorHandler(logger: Logger) {
  return (err: Error, c: Context): Response => {
    const path = new URL(c.req.url).pathname;
    if (isAppError(err)) return problemResponse(err, path);
    const fromDb = appErrorFromDatabase(err);
    if (fromDb) return problemResponse(fromDb, path);
    if (err instanceof HTTPException && err.status < 500)
      return problemResponse(new AppError("bad_request", err.message || "Bad request"), path);
    logger.error({ err, path, method: c.req.method }, "request failed");
    return new Response(
      JSON.stringify({
        type: "https://kehu.dev/problems/internal",
        title: "Internal error",
        status: 500,
        detail: "The server failed to handle the request; the error was logged.",
      }),
      { status: 500, headers: { "content-type": PROBLEM_CONTENT_TYPE } },
    );
  };
}
