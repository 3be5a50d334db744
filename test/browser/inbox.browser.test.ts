import type { RunningServer } from "@kehu/engine";
import { createTestRole, createTestUser, type TestEngine } from "@kehu/engine/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bpmnXml, chain, inputs } from "../../engine/src/workflow/test-bpmn";
import {
  browserUnavailable,
  openRoute,
  type StudioUnderTest,
  screenshot,
  signedInPage,
  startStudio,
} from "./studio-browser";

const skip = browserUnavailable();
const PASSWORD = "inbox e2e password";

// A quote needs a manager's approval: the manager fills in the granted discount (0–30) and decides.
const form = `<extensionElements>
  <camunda:properties><camunda:property name="outcomes" value="approve,reject,return"/></camunda:properties>
  <camunda:formData>
    <camunda:formField id="discount" label="Granted discount %" type="long">
      <camunda:validation><camunda:constraint name="required"/><camunda:constraint name="max" config="30"/></camunda:validation>
    </camunda:formField>
  </camunda:formData></extensionElements>`;
const approval = bpmnXml(
  `<startEvent id="submitted"/>
   <userTask id="manager_review" name="Approve the quote" camunda:candidateGroups="managers">${form}</userTask>
   <exclusiveGateway id="decision" default="to_rejected"/>
   <serviceTask id="mark_approved" camunda:type="external" camunda:topic="updateRecord">${inputs({ entity: "quote", "values.status": "approved" })}</serviceTask>
   <serviceTask id="mark_rejected" camunda:type="external" camunda:topic="updateRecord">${inputs({ entity: "quote", "values.status": "rejected" })}</serviceTask>
   <endEvent id="done"/><endEvent id="refused"/>
   ${chain("submitted", "manager_review", "decision")}
   <sequenceFlow id="to_approved" sourceRef="decision" targetRef="mark_approved"><conditionExpression xsi:type="tFormalExpression">\${outcome = 'approve'}</conditionExpression></sequenceFlow>
   <sequenceFlow id="to_rejected" sourceRef="decision" targetRef="mark_rejected"/>
   ${chain("mark_approved", "done")}${chain("mark_rejected", "refused")}`,
);

describe.skipIf(skip)("the inbox in a real browser on a real engine", () => {
  let studio: StudioUnderTest;
  let engine: TestEngine;
  let server: RunningServer;
  let quoteId: string;

  beforeAll(async () => {
    studio = await startStudio([
      {
        name: "quote",
        label: { en: "Quote", zh: "报价单" },
        titleField: "name",
        ownership: "user",
        fields: [
          { name: "name", type: "text", required: true, label: { en: "Name", zh: "名称" } },
          { name: "amount", type: "decimal", scale: 2, label: { en: "Amount", zh: "金额" } },
          {
            name: "status",
            type: "enum",
            label: { en: "Status", zh: "状态" },
            values: [
              { value: "pending", label: { en: "Pending", zh: "待审批" } },
              { value: "approved", label: { en: "Approved", zh: "已批准" } },
              { value: "rejected", label: { en: "Rejected", zh: "已驳回" } },
            ],
          },
        ],
      },
    ]);
    ({ engine, server } = studio);
    const managers = await createTestRole(engine.ctx, { name: "managers", permissions: { quote: { read: "all" } } });
    const sales = await createTestRole(engine.ctx, {
      name: "sales",
      permissions: { quote: { create: "all", read: "own", update: "own" } },
    });
    await createTestUser(engine.ctx, { login: "mia", roleIds: [managers.id], password: PASSWORD });
    const rex = await createTestUser(engine.ctx, { login: "rex", roleIds: [sales.id], password: PASSWORD });
    const deployed = await engine.http("/api/workflows/deployments", {
      method: "POST",
      body: { key: "quote_approval", xml: approval, entity: "quote" },
    });
    expect(deployed.status).toBe(201);
    const trigger = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "quote_approval", kind: "record", entity: "quote", events: ["create"] },
    });
    expect(trigger.status).toBe(201);
    // The sales rep submits a quote; its creation starts the approval.
    const quote = await engine.http("/api/data/quote", {
      method: "POST",
      body: { name: "浙江建材 Q-1001", amount: "86000.00", status: "pending" },
      as: rex.token,
    });
    expect(quote.status).toBe(201);
    quoteId = quote.body.id;
    expect(await engine.ctx.workflows!.drainStarts()).toEqual({ ran: 1, failed: 0 });
  }, 180_000);
  afterAll(() => studio?.close());

  const newPage = (login: string) => signedInPage(studio, login, PASSWORD);
  const go = (page: Page, hash: string) => openRoute(page, server.url, hash);

  it("a manager approves a quote from the inbox with a comment, and the quote's status changes", async () => {
    const page = await newPage("mia");
    await go(page, "inbox");
    await page.getByTestId("nav-inbox").getByText("0/1").waitFor();
    // Nothing is assigned to her yet: the inbox opens on the task she may claim.
    await page.getByRole("tab", { name: "Claimable (1)", selected: true }).waitFor();
    await page
      .getByTestId("tasks-claimable")
      .getByRole("link", { name: /Approve the quote/ })
      .click();
    const task = page.getByTestId("task-view");
    await task.getByTestId("task-record").getByText("浙江建材 Q-1001").waitFor();
    expect(await task.getByTestId("task-record").textContent()).toContain("Pending");

    // Too large a discount: the server's reason shows on the field, and nothing is decided.
    await task.locator("#root_discount").fill("50");
    await task.locator('textarea[name="task-comment"]').fill("Good customer; 10% is enough.");
    await task.locator('button[data-outcome="approve"]').click();
    await task.locator(".rjsf-field-error #root_discount").waitFor();
    expect(await task.locator(".rjsf-field-error").textContent()).toContain("30");
    expect((await engine.http(`/api/data/quote/${quoteId}`)).body.status).toBe("pending");

    await task.locator("#root_discount").fill("10");
    await task.locator('button[data-outcome="approve"]').click();
    await task.getByRole("status").getByText("Done: Approve.").waitFor();
    await task.getByText("Good customer; 10% is enough.").waitFor();
    await task.getByTestId("task-record").getByText("Approved").waitFor();
    await screenshot(page, "inbox-approved");
    await page.getByTestId("nav-inbox").getByText("0/1").waitFor({ state: "detached" });

    await task.getByRole("link", { name: "Open the record" }).click();
    await page.locator("#root_status").waitFor();
    expect(await page.locator("#root_status option:checked").textContent()).toBe("Approved");
    expect((await engine.http(`/api/data/quote/${quoteId}`)).body.status).toBe("approved");
    await page.close();

    // The sales rep who started it sees the ended instance and who decided, on the quote's workflow tab.
    const rep = await newPage("rex");
    await go(rep, `data/quote/${quoteId}`);
    await rep.getByRole("button", { name: "Workflows" }).click();
    const tab = rep.getByTestId("workflow-tab");
    await tab.locator('[data-instance="quote_approval"] [data-status="completed"]').waitFor();
    const text = (await tab.textContent()) ?? "";
    expect(text).toContain("Approve the quote");
    expect(text).toContain("mark_approved");
    expect(text).toMatch(/Completed\s*mia\s*approve/);
    expect(text).toContain("Good customer; 10% is enough.");
    await screenshot(rep, "record-workflow-tab");
    await rep.close();
  }, 120_000);
});
