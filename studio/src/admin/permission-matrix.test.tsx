// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it } from "vitest";
import { createI18n } from "../i18n/i18n";
import { FIXTURE_CUSTOMER } from "../shell/api-fixture";
import { PermissionMatrix } from "./permission-matrix";
import { type MatrixState, permissionBody } from "./permission-matrix-state";

afterEach(cleanup);

function renderMatrix(state: MatrixState, issues: Array<{ path: string; message: string }> = []) {
  let current = state;
  const view = () => (
    <I18nextProvider i18n={createI18n("zh-CN")}>
      <PermissionMatrix
        entities={[FIXTURE_CUSTOMER]}
        state={current}
        issues={issues}
        onChange={(next) => {
          current = next;
          result.rerender(view());
        }}
      />
    </I18nextProvider>
  );
  const result = render(view());
  return { body: () => permissionBody(current) };
}

describe("the permission matrix editor", () => {
  it("turns the chosen scopes and unticked field rights into the PUT body", () => {
    const { body } = renderMatrix({ scopes: {}, fields: {} });
    expect(screen.getByText("客户")).toBeTruthy();
    fireEvent.change(document.querySelector('select[name="customer.read"]')!, { target: { value: "department_tree" } });
    fireEvent.change(document.querySelector('select[name="customer.update"]')!, { target: { value: "own" } });
    fireEvent.click(screen.getByText("字段权限"));
    fireEvent.click(document.querySelector('input[name="customer.credit.write"]')!);
    expect(body()).toEqual({
      entities: { customer: { read: "department_tree", update: "own" } },
      fields: { customer: { credit: { read: true, write: false } } },
    });
  });

  it("shows the server's validation message on its cell", () => {
    renderMatrix({ scopes: { customer: { read: "all" } }, fields: {} }, [
      { path: "/entities/customer/delete", message: "scope must be one of own, department, department_tree, all" },
    ]);
    const cell = document.querySelector('select[name="customer.delete"]')!.closest("td")!;
    expect(cell.className).toBe("cell-error");
    expect(cell.textContent).toContain("scope must be one of own");
    expect(document.querySelector('select[name="customer.read"]')!.closest("td")!.className).toBe("");
  });
});
