import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatFileProblem } from "./read-entity-files";
import { readWorkflowFiles } from "./read-workflow-files";

let dir: string;
const write = (name: string, text: string) => writeFileSync(join(dir, "workflows", name), text);
const problems = () =>
  readWorkflowFiles(dir).problems.map((p) => formatFileProblem({ ...p, file: p.file.slice(dir.length + 1) }));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kehu-wf-files-"));
  mkdirSync(join(dir, "workflows"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("reading a package's workflow files", () => {
  it("reads each BPMN under its file name with the name, entity and triggers of its .workflow.yaml", () => {
    write("contract_billing.bpmn", "<definitions/>");
    write(
      "contract_billing.workflow.yaml",
      `name: Contract billing\nentity: contract\ntriggers:\n  - { kind: record, entity: contract, events: [create, update], condition: "status = 'signed'" }\n  - { kind: schedule, cron: "0 8 1 * *" }\n`,
    );
    write("lead-intake.bpmn", "<definitions/>");
    const { files } = readWorkflowFiles(dir);
    expect(files.map((f) => [f.key, f.name, f.entity, f.triggers.length])).toEqual([
      ["contract_billing", "Contract billing", "contract", 2],
      ["lead-intake", undefined, undefined, 0],
    ]);
    expect(readWorkflowFiles(join(dir, "nowhere"))).toEqual({ files: [], problems: [] });
  });

  it("names the file and place of every problem", () => {
    write("Billing.bpmn", "<definitions/>");
    write("ok.bpmn", "<definitions/>");
    write(
      "ok.workflow.yaml",
      `nme: typo\ntriggers:\n  - { key: ok, kind: record, entity: lead, condition: "amount >" }\n  - { kind: schedule, cron: "every day" }\n  - { kind: webhook }\n`,
    );
    write("orphan.workflow.yaml", "name: Orphan\n");
    write("broken.bpmn", "<definitions/>");
    write("broken.workflow.yaml", "triggers: [\n");
    const found = problems();
    expect(found).toContain(
      "workflows/Billing.bpmn: the file name is the workflow key: lower-case letters, digits, _ or -",
    );
    expect(found).toContain("workflows/ok.workflow.yaml: /nme: unknown property (use name, entity, triggers)");
    expect(found).toContain(
      "workflows/ok.workflow.yaml: /triggers/0/key: a package trigger starts its own workflow; the key comes from the file name",
    );
    expect(found).toContainEqual(expect.stringMatching(/^workflows\/ok\.workflow\.yaml: \/triggers\/0\/condition: /));
    expect(found).toContainEqual(
      expect.stringMatching(/^workflows\/ok\.workflow\.yaml: \/triggers\/1\/cron: cron must be a cron expression/),
    );
    expect(found).toContain("workflows/ok.workflow.yaml: /triggers/2/kind: kind must be record or schedule");
    expect(found).toContain("workflows/orphan.workflow.yaml: there is no orphan.bpmn beside it");
    expect(found).toContainEqual(expect.stringMatching(/^workflows\/broken\.workflow\.yaml:\d+:\d+: /));
  });
});
