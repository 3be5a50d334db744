import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
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
      ["Completes another rep's task", false, 3, 'task "call" is not for sales02 (it is for sales01)'],
    ]);
  }, 180_000);
});
