// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { en } from "../i18n/en";
import { flattenKeys } from "../i18n/flatten-keys";
import { missingKeys } from "../i18n/i18n";
import { zhCN } from "../i18n/zh-cn";
import { FIXTURE_RECORD_ID, fixtureFetch } from "./api-fixture";
import { App } from "./app";

const KEYS = Object.keys(flattenKeys(en));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

/** Renders the studio at a route in a locale and waits until `ready` shows. */
async function open(hash: string, locale: "en" | "zh-CN", ready: string, signedIn = true) {
  localStorage.setItem(signedIn ? "kehu.locale.ada" : "kehu.locale", locale);
  vi.stubGlobal("fetch", fixtureFetch(signedIn));
  window.location.hash = hash;
  render(<App />);
  await screen.findAllByText(ready, { exact: false }, { timeout: 10_000 });
}

/** The page shows no raw key, no key was missing, and nothing looks like a stack trace. */
function expectCleanPage() {
  const text = document.body.textContent ?? "";
  expect(missingKeys).toEqual(new Set());
  expect(KEYS.filter((k) => text.includes(k))).toEqual([]);
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
}

const t = (locale: "en" | "zh-CN") => (locale === "en" ? en : zhCN);

describe.each(["en", "zh-CN"] as const)("every page in %s", (locale) => {
  it("login, with a wrong password said in the user's language", async () => {
    await open("#/", locale, t(locale).login.submit, false);
    fireEvent.change(document.querySelector('input[name="login"]')!, { target: { value: "ada" } });
    fireEvent.change(document.querySelector('input[name="password"]')!, { target: { value: "wrong" } });
    fireEvent.click(screen.getByText(t(locale).login.submit));
    await screen.findByText(t(locale).login.failed);
    expectCleanPage();
  });

  it("an entity that does not exist", async () => {
    await open("#/data/no_such_entity", locale, t(locale).errors.notFound);
    expectCleanPage();
  });

  it("home and the list with its filter builder, columns and views", async () => {
    await open("#/", locale, t(locale).home.title);
    expectCleanPage();
    cleanup();
    await open("#/data/customer", locale, "华为");
    fireEvent.click(screen.getByText(t(locale).list.filters));
    fireEvent.click(screen.getByText(t(locale).filter.add));
    fireEvent.click(screen.getByText(t(locale).filter.add));
    await screen.findByText(t(locale).filter.match);
    expect(screen.getByText(t(locale).list.loadMore)).toBeTruthy();
    expect(screen.getAllByText(locale === "en" ? "Gold" : "金牌").length).toBeGreaterThan(0);
    expectCleanPage();
  });

  it("a record with its history, and a new record with the server's error on its field", async () => {
    await open(`#/data/customer/${FIXTURE_RECORD_ID}`, locale, t(locale).record.history);
    expect(screen.getAllByText(locale === "en" ? "Credit" : "信用额度").length).toBeGreaterThan(0);
    expect((document.getElementById("root_credit_amount") as HTMLInputElement).value).toBe("1200.00");
    fireEvent.click(screen.getByText(t(locale).record.history));
    await screen.findByText(t(locale).audit.actions.update);
    expectCleanPage();
    cleanup();
    await open("#/data/customer/new", locale, t(locale).record.save);
    await act(async () => {
      fireEvent.click(screen.getByText(t(locale).record.save));
    });
    await screen.findByText("is required");
    const nameInput = document.getElementById("root_name")!;
    expect(nameInput.closest(".rjsf-field-error")).not.toBeNull();
    expect(screen.getByRole("alert").textContent).toContain(t(locale).problems["validation-failed"]);
    expect(screen.getByRole("alert").textContent).toContain("The customer record is not valid");
    expectCleanPage();
  });

  it("the inbox with a task's form and record, and a record's workflow tab", async () => {
    const inbox = t(locale).inbox;
    await open("#/inbox/t1", locale, inbox.outcomes.approve);
    expect(screen.getByText(`${inbox.claimable} (1)`)).toBeTruthy();
    expect(document.querySelector(".inbox-list .task-due.overdue")?.textContent).toContain(inbox.overdue);
    expect(screen.getByText("折扣")).toBeTruthy();
    expect(screen.getByText(inbox.claim)).toBeTruthy();
    expect(screen.getByText("请尽快")).toBeTruthy();
    await screen.findByTestId("task-record");
    await screen.findAllByText("华为");
    expect(screen.getByTestId("nav-inbox").textContent).toContain("1/1");
    expectCleanPage();
    cleanup();
    await open(`#/data/customer/${FIXTURE_RECORD_ID}`, locale, t(locale).record.workflow);
    fireEvent.click(await screen.findByRole("button", { name: t(locale).record.workflow }));
    await screen.findByText(t(locale).workflow.statuses.waiting);
    await screen.findByText("折扣审批");
    expect(screen.getByTestId("workflow-tab").querySelector('[data-element="review"]')?.textContent).toBe("审批折扣");
    expectCleanPage();
  });

  it("the workflows: processes with versions and triggers, one process's instances, an instance with its history", async () => {
    const w = t(locale).workflows;
    await open("#/workflows", locale, w.newProcess);
    await screen.findByText("折扣审批");
    expect(screen.getByTestId("workflow-list").textContent).toContain("v1");
    expectCleanPage();
    cleanup();
    await open("#/workflows/discount", locale, w.instance.open);
    expectCleanPage();
    cleanup();
    await open("#/workflows/~instance/i1", locale, w.instance.variables);
    expect(screen.getByTestId("instance-history").textContent).toContain("审批折扣");
    expectCleanPage();
  });

  it("the sync monitor: a connection's runs, failed records, conflicts, and its config form with a masked secret", async () => {
    const sync = t(locale).sync;
    await open("#/sync/erp", locale, sync.runNow);
    await screen.findByText("credit: a currency is needed");
    await screen.findByText("0571-2");
    expect(document.querySelector('tr[data-run="run1"] .badge')?.textContent).toBe(sync.statuses.failed);
    expect(
      screen.getByText(sync.keep.replace("{{side}}", locale === "en" ? "SAP Business One" : "SAP 商业一号")),
    ).toBeTruthy();
    fireEvent.click(screen.getByText(sync.settings));
    const password = document.getElementById("root_password") as HTMLInputElement;
    expect(password.type).toBe("password");
    expect(password.value).toBe("********");
    expectCleanPage();
    cleanup();
    await open("#/sync/~new", locale, sync.save);
    await waitFor(() => expect(document.getElementById("root_baseUrl")).not.toBeNull());
    expect((document.getElementById("root_password") as HTMLInputElement).type).toBe("password");
    expectCleanPage();
  });

  it("the designer: entity list, an enum field's options, a destructive plan that must be confirmed", async () => {
    await open("#/designer", locale, t(locale).designer.newEntity);
    expectCleanPage();
    cleanup();
    await open("#/designer/customer", locale, t(locale).designer.revisions);
    fireEvent.click(screen.getAllByText(t(locale).designer.edit)[1]);
    await screen.findByText(t(locale).designer.addValue);
    fireEvent.click(screen.getByText(t(locale).designer.preview));
    await screen.findByText(t(locale).plan.confirm);
    const apply = screen.getByText(t(locale).plan.apply) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    fireEvent.click(screen.getByText(t(locale).plan.confirm));
    await waitFor(() => expect(apply.disabled).toBe(false));
    expectCleanPage();
    fireEvent.click(screen.getByText(t(locale).designer.addField));
    fireEvent.click(screen.getByText(t(locale).designer.preview));
    const issue = await screen.findByText("name: must match pattern");
    expect(issue.closest("tr")!.textContent).toContain("…");
    expect(screen.queryByTestId("plan-preview")).toBeNull();
    cleanup();
    await open("#/designer/~new", locale, t(locale).designer.entityName);
    expectCleanPage();
  });

  it("a dashboard: a report's table with owner titles and its currency, a refused report's reason; the builder", async () => {
    const d = t(locale).dashboards;
    await open("#/dashboards", locale, locale === "en" ? "Customer overview" : "客户概览");
    expectCleanPage();
    cleanup();
    await open("#/dashboards/customers", locale, "薄文");
    await screen.findByText("12500.00");
    // Owner groups are headed by the word, not the column name.
    expect(screen.getByRole("columnheader", { name: t(locale).reportBuilder.owner })).toBeTruthy();
    await screen.findByText(d.currency.replace("{{currency}}", "CNY"));
    await screen.findByText("No read permission on contract");
    expectCleanPage();
    cleanup();
    const b = t(locale).reportBuilder;
    await open("#/reports/builder", locale, b.title);
    await waitFor(() => expect(document.querySelector('option[value="customer"]')).not.toBeNull());
    fireEvent.change(document.querySelector('select[name="report-entity"]')!, { target: { value: "customer" } });
    fireEvent.click(screen.getByText(b.addGroup));
    await screen.findByText(b.preview);
    expectCleanPage();
  });

  it("the admin pages: users, departments, the permission matrix, the explainer, ownership; and the print view", async () => {
    const a = t(locale).admin;
    await open("#/admin/users", locale, "bo");
    expect((await screen.findAllByText("华东销售", {}, { timeout: 10_000 })).length).toBeGreaterThan(0);
    fireEvent.click(screen.getByText(a.users.create));
    await screen.findByText(a.users.isAdmin);
    expectCleanPage();
    cleanup();
    await open("#/admin/departments", locale, a.departments.create);
    expectCleanPage();
    cleanup();
    await open("#/admin/roles", locale, locale === "en" ? "Sales" : "销售");
    fireEvent.click(screen.getByText(locale === "en" ? "Sales" : "销售"));
    const matrix = await screen.findByTestId("permission-matrix");
    expect((matrix.querySelector('select[name="customer.read"]') as HTMLSelectElement).value).toBe("department");
    expect(matrix.textContent).toContain(a.scopes.department);
    fireEvent.click(screen.getByText(a.roles.fieldRights));
    await screen.findByText(locale === "en" ? "Credit" : "信用额度");
    expectCleanPage();
    cleanup();
    await open("#/admin/explain", locale, a.explain.run);
    expectCleanPage();
    cleanup();
    await open("#/admin/ownership", locale, a.ownership.intro);
    expectCleanPage();
    cleanup();
    await open("#/admin/tokens", locale, "erp-sync");
    expect(screen.getByText(a.tokens.revoke)).toBeTruthy();
    expectCleanPage();
    cleanup();
    await open(`#/print/customer/${FIXTURE_RECORD_ID}`, locale, t(locale).print.print);
    expect(screen.getByTestId("print-sheet").textContent).toContain(locale === "en" ? "Gold" : "金牌");
    expect(document.querySelector(".topbar")).toBeNull();
    expectCleanPage();
  });
});
