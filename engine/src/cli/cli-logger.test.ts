import { describe, expect, it } from "vitest";
import { captureIo } from "./capture-io";
import { cliLogger } from "./cli-logger";

describe("cliLogger", () => {
  it("writes each entry at or above its level as one readable line on stderr, nothing on stdout", () => {
    const io = captureIo({ env: { KEHU_LOG_LEVEL: "warn" } });
    const logger = cliLogger(io);
    logger.info({ connection: "sap" }, "scheduled sync skipped");
    logger.warn({ stream: "orders", attempt: 2, err: "HTTP 503" }, "sync write failed; retrying");
    logger.error({ err: new Error("connect ECONNREFUSED 127.0.0.1:50000") }, "job queue error");
    expect(io.err()).toBe(
      "kehu: warning: sync write failed; retrying (stream=orders attempt=2): HTTP 503\n" +
        "kehu: error: job queue error: connect ECONNREFUSED 127.0.0.1:50000\n",
    );
    expect(io.out()).toBe("");
  });

  it("never writes a password or token", () => {
    const io = captureIo({ env: { KEHU_LOG_LEVEL: "warn" } });
    cliLogger(io).warn({ config: { password: "s3cret" }, token: "t0k" }, "login failed");
    expect(io.err()).not.toMatch(/s3cret|t0k/);
    expect(io.err()).toContain("[Redacted]");
  });
});
