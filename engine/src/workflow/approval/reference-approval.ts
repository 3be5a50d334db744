import { readFileSync } from "node:fs";
import type { ApprovalMatrix } from "./approval-matrix";

/**
 * The reference approval (issue 5, point 11) as matrix data for the generic approval BPMN: up to 50,000 the
 * submitter's department manager; up to 200,000 also a director; above 200,000 also the general manager; the
 * manager level escalates to the directors after 24 h. Copy it and change `entity` (and fields) for an app.
 */
export function referenceApprovalMatrix(): ApprovalMatrix {
  return JSON.parse(readFileSync(new URL("./reference-approval.matrix.json", import.meta.url), "utf8"));
}
