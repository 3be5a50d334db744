import { describe, expect, it } from "vitest";
import { ConnectorError } from "./connector-error";
import { classifyRetry, parseRetryAfter } from "./retry-policy";

describe("classifyRetry", () => {
  it.each([
    ["a timeout", new ConnectorError("timeout", "no answer in 30 s")],
    ["a dropped connection", new ConnectorError("network", "socket hang up")],
    ["an empty-body 500", new ConnectorError("http", "HTTP 500", { status: 500 })],
    ["a 503", new ConnectorError("http", "HTTP 503", { status: 503 })],
    ["a raw ECONNRESET", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
    ["fetch failed with a socket cause", new TypeError("fetch failed", { cause: { code: "UND_ERR_SOCKET" } })],
    ["AbortSignal.timeout", Object.assign(new Error("timed out"), { name: "TimeoutError" })],
  ])("retries %s", (_label, error) => {
    expect(classifyRetry(error).retryable).toBe(true);
  });

  it.each([
    ["a 400", new ConnectorError("http", "bad", { status: 400, code: "-10" })],
    ["a 401", new ConnectorError("auth", "Login failed", { status: 401 })],
    ["a 404", new ConnectorError("http", "missing", { status: 404 })],
    ["a refused server certificate", new ConnectorError("tls", "self-signed certificate")],
    ["a caller's abort", Object.assign(new Error("aborted"), { name: "AbortError" })],
    ["a programming error", new TypeError("x is not a function")],
  ])("does not retry %s", (_label, error) => {
    expect(classifyRetry(error).retryable).toBe(false);
  });

  it("carries Retry-After of a 429", () => {
    expect(classifyRetry(new ConnectorError("http", "busy", { status: 429, retryAfterMs: 1500 }))).toEqual({
      retryable: true,
      retryAfterMs: 1500,
    });
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-11-23T10:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
