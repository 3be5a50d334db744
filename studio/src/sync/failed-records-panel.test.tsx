// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createI18n, missingKeys } from "../i18n/i18n";
import { FailedRecordsPanel } from "./failed-records-panel";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const letter = (id: number, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  runId: "r",
  direction: "pull",
  connection: "erp",
  stream: "partners",
  mapping: "partners",
  externalKey: '["A3"]',
  recordId: null,
  payload: {},
  reason: `credit needs a currency (${id})`,
  issues: [],
  status,
  createdAt: "2026-12-07T08:00:00Z",
  closedAt: status === "open" ? null : "2026-12-07T09:00:00Z",
  closedBy: status === "open" ? null : "sync",
  replacedBy: null,
  ...extra,
});

/** The dead-letter list by the status asked for; `asked` keeps each status the panel asked for. */
function deadLetters(): string[] {
  const asked: string[] = [];
  const byStatus: Record<string, unknown[]> = {
    open: [letter(8, "open")],
    replaced: [letter(7, "replaced", { replacedBy: 8 })],
  };
  vi.stubGlobal("fetch", async (input: string) => {
    const status = new URL(String(input), "http://studio.test").searchParams.get("status") ?? "";
    asked.push(status);
    return new Response(JSON.stringify({ data: byStatus[status] ?? [] }), {
      headers: { "content-type": "application/json" },
    });
  });
  return asked;
}

describe("the failed records of a connection", () => {
  it.each([
    ["en", "Replaced by a newer failure", "Replaced by a newer failure (#8)"],
    ["zh-CN", "已被更新的失败取代", "已被更新的失败取代（#8）"],
  ] as const)(
    "in %s, lists a letter a newer failure replaced, naming its successor, without retry",
    async (locale, option, text) => {
      const asked = deadLetters();
      render(
        <I18nextProvider i18n={createI18n(locale)}>
          <FailedRecordsPanel connection="erp" reloadKey={0} />
        </I18nextProvider>,
      );
      const panel = await screen.findByTestId("sync-failed");
      await waitFor(() => expect(panel.querySelector('tr[data-status="open"]')).not.toBeNull());
      expect(panel.querySelectorAll("tr[data-status] button")).toHaveLength(2);

      const select = panel.querySelector("select")!;
      expect([...select.options].map((o) => o.textContent)).toContain(option);
      fireEvent.change(select, { target: { value: "replaced" } });
      await waitFor(() => expect(panel.querySelector('tr[data-status="replaced"]')).not.toBeNull());
      const row = panel.querySelector('tr[data-status="replaced"]')!;
      expect(row.textContent).toContain(text);
      expect(row.textContent).toContain("credit needs a currency (7)");
      expect(row.querySelectorAll("button")).toHaveLength(0);
      expect(asked).toEqual(["open", "replaced"]);
      expect(missingKeys).toEqual(new Set());
    },
  );
});
