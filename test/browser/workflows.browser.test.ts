import type { RunningServer } from "@kehu/engine";
import { createTestRole, createTestUser, type TestEngine } from "@kehu/engine/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserUnavailable,
  openRoute,
  type StudioUnderTest,
  screenshot,
  signedInPage,
  startStudio,
} from "./studio-browser";

const skip = browserUnavailable();
const PASSWORD = "workflows e2e password";

// start → user task → end, with its diagram layout, as a designer's .bpmn file would hold it.
const REVIEW_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="defs" targetNamespace="http://kehu.dev/e2e">
  <bpmn:process id="quote_review" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="review"/>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="done"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d">
    <bpmndi:BPMNPlane id="pl" bpmnElement="quote_review">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="102" width="36" height="36"/></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="250" y="80" width="100" height="80"/></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="done_di" bpmnElement="done"><dc:Bounds x="412" y="102" width="36" height="36"/></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="188" y="120"/><di:waypoint x="250" y="120"/></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="350" y="120"/><di:waypoint x="412" y="120"/></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

describe.skipIf(skip)("the workflow modeler and instance view in a real browser on a real engine", () => {
  let studio: StudioUnderTest;
  let engine: TestEngine;
  let server: RunningServer;

  beforeAll(async () => {
    studio = await startStudio([
      {
        name: "quote",
        label: { en: "Quote", zh: "报价单" },
        titleField: "name",
        ownership: "user",
        fields: [{ name: "name", type: "text", required: true, label: { en: "Name", zh: "名称" } }],
      },
    ]);
    ({ engine, server } = studio);
    await createTestUser(engine.ctx, { login: "ada", isAdmin: true, password: PASSWORD });
    const managers = await createTestRole(engine.ctx, { name: "managers", permissions: { quote: { read: "all" } } });
    await createTestUser(engine.ctx, { login: "mia", roleIds: [managers.id], password: PASSWORD });
  }, 180_000);
  afterAll(() => studio?.close());

  const newPage = (login: string, locale = "en") => signedInPage(studio, login, PASSWORD, locale);
  const go = (page: Page, hash: string) => openRoute(page, server.url, hash);

  it("an admin models a review, deploys it, starts it and sees the user task highlighted in the instance", async () => {
    const page = await newPage("ada");
    await go(page, "workflows");
    await page.getByText("No processes deployed yet.").waitFor();
    await page.getByTestId("new-process").click();
    await page.locator(".djs-container").waitFor();

    // The designer's file opens in the modeler; the side panel names the task and gives it a bad assignee first.
    await page.locator('input[name="bpmn-file"]').setInputFiles({
      name: "quote-review.bpmn",
      mimeType: "application/xml",
      buffer: Buffer.from(REVIEW_BPMN),
    });
    await page.locator('.djs-element[data-element-id="review"]').click();
    const panel = page.locator('[data-testid="properties-panel"][data-element="review"]');
    await panel.locator('input[name="name"]').fill("Review the quote");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a broken BPMN expression on purpose
    await panel.locator('input[name="assignee"]').fill("${1 +}");
    await page.locator('input[name="process-key"]').fill("quote_review");
    await page.locator('input[name="process-name"]').fill("Quote review");
    await page.locator('select[name="process-entity"]').selectOption("quote");
    await page.getByTestId("deploy").click();

    // The engine refuses it, naming the element; clicking the name selects it again.
    const problems = page.getByTestId("deploy-problems");
    await problems.locator('[data-element="review"]').waitFor();
    await page.locator(".djs-element[data-element-id='start']").click();
    await problems.locator('[data-element="review"]').click();
    await panel.locator('input[name="assignee"]').fill("mia");
    await page.getByTestId("deploy").click();
    await page.getByTestId("deployed").getByText("Deployed as version 1.").waitFor();

    const deployed = await engine.http("/api/workflows/deployments/quote_review/1");
    expect(deployed.body.entity).toBe("quote");
    expect(deployed.body.xml).toContain('name="Review the quote"');
    expect(deployed.body.xml).toContain('camunda:assignee="mia"');
    await screenshot(page, "workflow-modeler");

    const started = await engine.http("/api/workflows/quote_review/instances", { method: "POST", body: {} });
    expect(started.status).toBe(201);
    await go(page, "workflows");
    const row = page.locator('[data-process="quote_review"]');
    await row.locator('[data-count="running"]').getByText("1").waitFor();
    expect(await row.textContent()).toContain("Quote review");
    await row.getByRole("link", { name: "Instances" }).click();
    await page.getByTestId("instances").getByRole("link", { name: "Open" }).click();

    const view = page.getByTestId("instance-view");
    await view.locator('.djs-element.kehu-active[data-element-id="review"]').waitFor();
    await view.locator('.djs-element.kehu-done[data-element-id="start"]').waitFor();
    expect(await view.getByTestId("instance-history").textContent()).toContain("Review the quote");
    expect(await view.textContent()).toContain("mia");
    await screenshot(page, "workflow-instance");

    // The same page in Chinese.
    await page.evaluate(`localStorage.setItem("kehu.locale.ada", "zh-CN")`);
    await page.reload();
    await view.getByText("历史").waitFor();
    await page.getByTestId("nav-workflows").getByText("流程").waitFor();
    await page.close();
  }, 120_000);

  it("a service task calls a Kehu service whose inputs come from the service's schema in the side panel", async () => {
    const xml = REVIEW_BPMN.replaceAll("quote_review", "quote_mark").replace(
      '<bpmn:userTask id="review"/>',
      '<bpmn:serviceTask id="review"/>',
    );
    const page = await newPage("ada");
    await go(page, "workflows/~new/model");
    await page.locator(".djs-container").waitFor();
    await page.locator('input[name="bpmn-file"]').setInputFiles({
      name: "quote-mark.bpmn",
      mimeType: "application/xml",
      buffer: Buffer.from(xml),
    });
    await page.locator('.djs-element[data-element-id="review"]').click();
    const panel = page.locator('[data-testid="properties-panel"][data-element="review"]');
    await panel.locator('select[name="service"]').selectOption("updateRecord");
    const inputs = panel.getByTestId("service-inputs");
    await inputs.locator("#root_entity").fill("quote");
    await inputs.locator(".btn-add").click();
    await inputs.locator("#root_values_newKey-key").fill("name");
    await inputs.locator("#root_values_newKey-key").blur();
    await inputs.locator("#root_values_name").fill("Checked");
    await page.locator('input[name="process-key"]').fill("quote_mark");
    await page.locator('select[name="process-entity"]').selectOption("quote");
    await page.getByTestId("deploy").click();
    await page.getByTestId("deployed").getByText("Deployed as version 1.").waitFor();
    await screenshot(page, "workflow-service-task");

    const deployed = (await engine.http("/api/workflows/deployments/quote_mark/1")).body.xml as string;
    expect(deployed).toContain('camunda:topic="updateRecord"');
    expect(deployed).toMatch(/<camunda:inputParameter name="entity">quote<\/camunda:inputParameter>/);
    expect(deployed).toMatch(/<camunda:inputParameter name="values.name">Checked<\/camunda:inputParameter>/);
    await page.close();
  }, 60_000);

  it("an approver who may read a quote opens its workflow instance from the quote's workflow tab", async () => {
    const xml = REVIEW_BPMN.replaceAll("quote_review", "quote_check");
    await engine.http("/api/workflows/deployments", {
      method: "POST",
      body: { key: "quote_check", xml, entity: "quote" },
    });
    await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "quote_check", kind: "record", entity: "quote", events: ["create"] },
    });
    const quote = await engine.http("/api/data/quote", { method: "POST", body: { name: "Q-2001" } });
    expect(await engine.ctx.workflows!.drainStarts()).toEqual({ ran: 1, failed: 0 });

    const page = await newPage("mia");
    await go(page, `data/quote/${quote.body.id}`);
    await page.getByRole("button", { name: "Workflows" }).click();
    await page.getByTestId("workflow-tab").getByRole("link", { name: "quote_check" }).click();
    const view = page.getByTestId("instance-view");
    await view.locator('.djs-element.kehu-active[data-element-id="review"]').waitFor();
    expect(await view.getByRole("button", { name: "Cancel the instance" }).count()).toBe(0);
    await screenshot(page, "workflow-instance-approver");
    await page.close();
  }, 60_000);
});
