import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { bpmnXml, chain, inputs } from "../test-bpmn";
import { runScenarios } from "./run-scenarios";
import type { ScenarioBackend } from "./scenario-databases";

const fixture = (path: string) => fileURLToPath(new URL(`fixtures/harness-app/${path}`, import.meta.url));
const backend: ScenarioBackend = process.env.DATABASE_URL
  ? { kind: "postgres", url: process.env.DATABASE_URL }
  : { kind: "pglite", base: new Blob([readFileSync(inject("pgliteBase"))]) };

describe("the scenario harness", () => {
  it("runs a package's scenarios, each on a fresh database and a virtual clock, and they pass", async () => {
    const heard: string[] = [];
    const run = await runScenarios(fixture("workflows/scenarios"), { backend, onResult: (r) => heard.push(r.name) });
    expect(run.problems).toEqual([]);
    expect(run.results.map((r) => [r.name, r.passed, r.message])).toEqual([
      ["A lead called within 24 h is qualified and never escalates", true, undefined],
      ["A lead not called in 24 h escalates to the manager, who delegates the review", true, undefined],
      ["A lead given beforehand is started by hand and lost", true, undefined],
    ]);
    expect(heard).toHaveLength(3);
  }, 180_000);

  it("reports a failing scenario with its step, the expectation and the actual value", async () => {
    const run = await runScenarios(fixture("workflows/failing"), { backend });
    expect(run.results.map((r) => [r.name, r.passed, r.step, r.message])).toEqual([
      ["Expects the wrong owner", false, 3, "expected lead.owner = sales02, got sales01"],
      [
        "Expects the wrong notification text",
        false,
        3,
        'expected notifications of mgr01 = [{"body":"Rep: sales02","title":"Lead not called: ACME"}], got [{"body":"Rep: sales01","title":"Lead not called: ACME"}]',
      ],
      ["Completes another rep's task", false, 3, 'task "call" is not for sales02 (it is for sales01)'],
    ]);
  }, 180_000);

  it("advances the clock through cron slots and timers one by one, so each fires at its own time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kehu-harness-cron-"));
    try {
      cpSync(fixture(""), dir, {
        recursive: true,
        filter: (src) => !src.includes("scenarios") && !src.includes("failing"),
      });
      const notify = (id: string, title: string) =>
        `<serviceTask id="${id}" camunda:type="external" camunda:topic="notify">${inputs({ to: "mgr01", title })}</serviceTask>`;
      writeFileSync(
        join(dir, "workflows/statement.bpmn"),
        bpmnXml(
          `<startEvent id="s"/>${notify("send", `\${concat('Statement ', scheduledAt)}`)}
           <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>P3D</timeDuration></timerEventDefinition></intermediateCatchEvent>
           ${notify("remind", "Reminder")}<endEvent id="e"/>${chain("s", "send", "wait", "remind", "e")}`,
        ),
      );
      writeFileSync(
        join(dir, "workflows/statement.workflow.yaml"),
        'triggers:\n  - { kind: schedule, cron: "0 8 1 * *" }\n',
      );
      writeFileSync(
        join(dir, "monthly.scenario.yaml"),
        `name: Monthly statements
clock: 2030-01-15T00:00:00Z
given: { users: [{ login: mgr01 }] }
steps:
  - advance: P1M
  - expect:
      notifications: { mgr01: ["Statement 2030-02-01T08:00:00.000Z", Reminder] }
      instance: completed
  - advance: 16d
  - expect:
      notifications: { mgr01: ["Statement 2030-02-01T08:00:00.000Z", Reminder, "Statement 2030-03-01T08:00:00.000Z"] }
      timers: [wait]
`,
      );
      const run = await runScenarios(dir, { backend });
      expect(run.problems).toEqual([]);
      expect(run.results.map((r) => [r.passed, r.message])).toEqual([[true, undefined]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
  it("finds each signer's own task of a parallel multi-instance task by element id and `as`, and says so when not told", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kehu-harness-parallel-"));
    try {
      cpSync(fixture(""), dir, {
        recursive: true,
        filter: (src) => !src.includes("scenarios") && !src.includes("failing"),
      });
      writeFileSync(
        join(dir, "workflows/cosign.bpmn"),
        bpmnXml(
          `<startEvent id="s"/>
           <userTask id="sign" camunda:assignee="\${signer}">
             <multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${signers}" camunda:elementVariable="signer"/>
           </userTask><endEvent id="e"/>${chain("s", "sign", "e")}`,
        ),
      );
      writeFileSync(join(dir, "workflows/cosign.workflow.yaml"), "name: Co-sign\n");
      const given = "given: { users: [{ login: ann }, { login: bob }, { login: root, admin: true }] }";
      writeFileSync(
        join(dir, "both.scenario.yaml"),
        `name: Both sign
clock: 2030-01-15T00:00:00Z
${given}
steps:
  - start: cosign
    variables: { signers: [ann, bob] }
  - expect: { tasks: { ann: [sign], bob: [sign] } }
  - complete: sign
    as: bob
  - expect: { tasks: { ann: [sign], bob: [] }, instance: waiting }
  - complete: sign
    as: ann
  - expect: { instance: completed }
`,
      );
      writeFileSync(
        join(dir, "unsaid.scenario.yaml"),
        `name: Says nobody
clock: 2030-01-15T00:00:00Z
${given}
steps:
  - start: cosign
    variables: { signers: [ann, bob] }
  - complete: sign
    as: root
`,
      );
      const run = await runScenarios(dir, { backend });
      expect(run.problems).toEqual([]);
      expect(run.results.map((r) => [r.name, r.passed, r.message])).toEqual([
        ["Both sign", true, undefined],
        ["Says nobody", false, '2 open tasks "sign" (ann, bob); say which with as: the assignee'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
