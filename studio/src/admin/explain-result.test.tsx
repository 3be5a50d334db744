// @vitest-environment happy-dom
import type { Explanation } from "@kehu/client";
import { cleanup, render, screen } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it } from "vitest";
import { createI18n, missingKeys } from "../i18n/i18n";
import { ExplainResult } from "./explain-result";

const EXPLANATION: Explanation = {
  user: { id: "u2", login: "bo", isAdmin: false, departmentId: "d1" },
  entity: "customer",
  id: "r1",
  read: {
    allowed: true,
    chain: [
      {
        rule: "role_scope",
        role: "sales",
        scope: "department",
        matches: true,
        detail: "role sales grants read on records of the user's department; this record is one",
      },
    ],
  },
  update: {
    allowed: false,
    chain: [{ rule: "no_grant", matches: false, detail: "no role of the user grants update on customer" }],
  },
};

afterEach(cleanup);

describe("the explainer's answer", () => {
  it.each([
    ["en", "Can read: yes", "Can update: no", "Department", "Role scope", "role sales"],
    ["zh-CN", "可读取: 是", "可修改: 否", "本部门", "角色范围", "角色 sales"],
  ] as const)("says in %s whether the user can read and update, and by which rule", (locale, ...texts) => {
    render(
      <I18nextProvider i18n={createI18n(locale)}>
        <ExplainResult explanation={EXPLANATION} />
      </I18nextProvider>,
    );
    const [canRead, cannotUpdate, scope, rule, role] = texts;
    const read = screen.getByTestId("explain-read");
    const update = screen.getByTestId("explain-update");
    expect(read.className).toContain("allowed");
    expect(read.querySelector("h3")!.textContent).toBe(canRead);
    expect(read.textContent).toContain(scope);
    expect(read.textContent).toContain(rule);
    expect(read.textContent).toContain(role);
    expect(read.querySelector('[data-rule="role_scope"]')!.className).toBe("step-match");
    expect(update.className).toContain("denied");
    expect(update.querySelector("h3")!.textContent).toBe(cannotUpdate);
    expect(update.textContent).toContain("no role of the user grants update on customer");
    expect(update.querySelector('[data-rule="no_grant"]')!.className).toBe("step-miss");
    expect(missingKeys).toEqual(new Set());
  });
});
