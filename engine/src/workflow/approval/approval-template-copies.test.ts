import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { templateDir } from "../../testing/apply-template";
import { APPROVAL_BPMN } from "./approval-process";

/** The templates' approval workflows: `workflows/<key>.bpmn` whose triggers name an `approvalMatrix`. */
function approvalWorkflows(): string[] {
  const found: string[] = [];
  for (const template of readdirSync(templateDir(""))) {
    const dir = join(templateDir(template), "workflows");
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".workflow.yaml")))
      if (readFileSync(join(dir, name), "utf8").includes("approvalMatrix"))
        found.push(join(dir, name.replace(/\.workflow\.yaml$/, ".bpmn")));
  }
  return found.sort();
}

describe("the templates ship the engine's generic approval process", () => {
  it("each approval workflow of a template is an unchanged copy of approval.bpmn (tiers live in the matrix)", () => {
    const files = approvalWorkflows();
    expect(files.map((f) => f.split("/examples/")[1])).toEqual([
      "auto-dealer/workflows/discount-approval.bpmn",
      "building-materials/workflows/contract-approval.bpmn",
    ]);
    for (const file of files) expect(readFileSync(file, "utf8"), file).toBe(APPROVAL_BPMN);
  });
});
