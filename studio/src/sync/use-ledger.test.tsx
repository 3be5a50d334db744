// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useLedger } from "./use-ledger";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Ledger requests that answer only when the test says, in any order. */
function heldLedger() {
  const asked: Array<{ url: string; answer(ids: string[], nextCursor: string | null): Promise<void> }> = [];
  vi.stubGlobal(
    "fetch",
    (input: string) =>
      new Promise<Response>((resolve) =>
        asked.push({
          url: String(input),
          answer: async (ids, nextCursor) => {
            const data = ids.map((id) => ({ id, runId: "r", outcome: "created", at: "2026-12-07T00:00:00Z" }));
            resolve(
              new Response(JSON.stringify({ data, nextCursor }), { headers: { "content-type": "application/json" } }),
            );
          },
        }),
      ),
  );
  return asked;
}

const idsOf = (entries: Array<{ id: string }>) => entries.map((e) => e.id);

describe("useLedger", () => {
  it("shows only the answers to the newest query, even when an older query's page arrives last", async () => {
    const asked = heldLedger();
    const { result, rerender } = renderHook(({ run }) => useLedger({ run }), { initialProps: { run: "a" } });
    await waitFor(() => expect(asked).toHaveLength(1));
    await act(() => asked[0].answer(["a2"], "2"));
    // "More" of run a is still loading when run b is opened.
    act(() => {
      void result.current.more();
    });
    await waitFor(() => expect(asked).toHaveLength(2));
    rerender({ run: "b" });
    await waitFor(() => expect(asked).toHaveLength(3));
    expect(asked[2].url).toContain("run=b");
    await act(() => asked[2].answer(["b1"], null));
    await act(() => asked[1].answer(["a1"], "1"));
    expect(idsOf(result.current.entries)).toEqual(["b1"]);
    expect(result.current.hasMore).toBe(false);
  });

  it("asks for the next page once however often More is pressed while it loads", async () => {
    const asked = heldLedger();
    const { result } = renderHook(() => useLedger({ run: "a" }));
    await waitFor(() => expect(asked).toHaveLength(1));
    await act(() => asked[0].answer(["3", "2"], "2"));
    act(() => {
      void result.current.more();
      void result.current.more();
    });
    await waitFor(() => expect(asked).toHaveLength(2));
    expect(asked[1].url).toContain("before=2");
    await act(() => asked[1].answer(["1"], null));
    expect(idsOf(result.current.entries)).toEqual(["3", "2", "1"]);
    expect(asked).toHaveLength(2);
  });
});
