import { describe, expect, it } from "vitest";
import { readAhead } from "./read-ahead";

describe("readAhead", () => {
  it("reads the next items while the consumer is busy, never more than the limit ahead", async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 10; i++) {
        produced++;
        yield i;
      }
    }
    const seen: Array<[number, number]> = [];
    let release!: () => void;
    const busy = new Promise<void>((r) => {
      release = r;
    });
    for await (const n of readAhead(source(), 3)) {
      if (n === 0) {
        setTimeout(release, 5);
        await busy;
      }
      seen.push([n, produced]);
    }
    expect(seen.map(([n]) => n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // While item 0 was being handled the source ran ahead, but only as far as the limit.
    expect(seen[0][1]).toBe(4);
  });

  it("hands over what was read before a failure, then the failure", async () => {
    async function* source() {
      yield 1;
      yield 2;
      throw new Error("connection reset by peer");
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of readAhead(source(), 10)) seen.push(n);
      })(),
    ).rejects.toThrow("connection reset by peer");
    expect(seen).toEqual([1, 2]);
  });

  it("stops reading and closes the source when the consumer stops early", async () => {
    let closed = false;
    let produced = 0;
    async function* source() {
      try {
        for (let i = 0; ; i++) {
          produced++;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    await expect(
      (async () => {
        for await (const n of readAhead(source(), 5)) if (n === 2) throw new Error("commit failed");
      })(),
    ).rejects.toThrow("commit failed");
    expect(closed).toBe(true);
    expect(produced).toBeLessThanOrEqual(2 + 5 + 1);
  });
});
