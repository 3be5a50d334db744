import { describe, expect, it } from "vitest";
import { createLimiter } from "./limiter";
import { mapConcurrent } from "./map-concurrent";

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe("createLimiter", () => {
  it("never runs more than the limit at once, even when newcomers arrive as a slot frees", async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    const gates = Array.from({ length: 6 }, gate);
    const runs = gates.map((g) =>
      limit(async () => {
        active++;
        peak = Math.max(peak, active);
        await g.opened;
        active--;
      }),
    );
    await Promise.resolve();
    expect(active).toBe(2);
    gates[0].open();
    const late = limit(async () => {
      active++;
      peak = Math.max(peak, active);
      active--;
    });
    for (const g of gates) g.open();
    await Promise.all([...runs, late]);
    expect(peak).toBe(2);
  });

  it("frees the slot when a task fails", async () => {
    const limit = createLimiter(1);
    await expect(limit(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limit(async () => "next")).resolves.toBe("next");
  });

  it("rejects a nonsensical limit", () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});

describe("mapConcurrent", () => {
  it("keeps input order whatever the completion order, with at most the limit in flight", async () => {
    const gates = Array.from({ length: 4 }, gate);
    let active = 0;
    let peak = 0;
    const mapped = mapConcurrent(gates, 2, async (g, index) => {
      active++;
      peak = Math.max(peak, active);
      await g.opened;
      active--;
      return index;
    });
    for (const g of [...gates].reverse()) g.open();
    expect(await mapped).toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
  });
});
