import { describe, expect, it } from "vitest";
import { ConnectorError } from "./connector-error";
import { backoffDelay, retry } from "./retry";

function harness(randoms: number[] = [0.5]) {
  const waits: number[] = [];
  let i = 0;
  return {
    waits,
    options: {
      sleep: async (ms: number) => {
        waits.push(ms);
      },
      random: () => randoms[i++ % randoms.length],
    },
  };
}

const flaky = (failures: unknown[]) => {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fn: async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return "ok";
    },
  };
};

describe("retry", () => {
  it("retries 5xx, timeouts and resets with exponential backoff and full jitter, then succeeds", async () => {
    const { waits, options } = harness([1 - 1e-9, 0.5, 0]);
    const call = flaky([
      new ConnectorError("http", "empty 500", { status: 500 }),
      new ConnectorError("timeout", "timed out"),
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    ]);
    await expect(retry(call.fn, { ...options, baseDelayMs: 100, maxDelayMs: 1000 })).resolves.toBe("ok");
    expect(call.calls).toBe(4);
    // windows 100, 200, 400: random 0.999… of 100, 0.5 of 200, 0 of 400
    expect(waits).toEqual([99, 100, 0]);
  });

  it("caps the backoff window at maxDelayMs", () => {
    expect(backoffDelay(20, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.999)).toBe(999);
    expect(backoffDelay(1, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.999)).toBe(99);
  });

  it("waits what Retry-After says on a 429", async () => {
    const { waits, options } = harness();
    const call = flaky([new ConnectorError("http", "slow down", { status: 429, retryAfterMs: 3000 })]);
    await expect(retry(call.fn, options)).resolves.toBe("ok");
    expect(waits).toEqual([3000]);
  });

  it("does not retry a 4xx and throws it at once", async () => {
    const { waits, options } = harness();
    const error = new ConnectorError("http", "SAP B1 error -10", { status: 400, code: "-10" });
    const call = flaky([error]);
    await expect(retry(call.fn, options)).rejects.toBe(error);
    expect(call.calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it("gives up after the configured attempts with the last error", async () => {
    const { options } = harness();
    const last = new ConnectorError("http", "third", { status: 503 });
    const call = flaky([
      new ConnectorError("http", "first", { status: 502 }),
      new ConnectorError("http", "second", { status: 504 }),
      last,
    ]);
    await expect(retry(call.fn, { ...options, attempts: 3 })).rejects.toBe(last);
    expect(call.calls).toBe(3);
  });

  it("refuses a Retry-After longer than allowed", async () => {
    const { options } = harness();
    const error = new ConnectorError("http", "come back tomorrow", { status: 429, retryAfterMs: 86_400_000 });
    const call = flaky([error]);
    await expect(retry(call.fn, options)).rejects.toBe(error);
  });

  it("stops when the signal aborts", async () => {
    const controller = new AbortController();
    const call = flaky([new ConnectorError("network", "reset")]);
    const sleep = async () => controller.abort(new Error("stopped"));
    await expect(retry(call.fn, { sleep, signal: controller.signal })).rejects.toThrow("stopped");
    expect(call.calls).toBe(1);
  });
});
