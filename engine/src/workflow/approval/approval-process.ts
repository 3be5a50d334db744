import { readFileSync } from "node:fs";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../../metadata/registry";
import { deployWorkflow } from "../deployments";
import type { ServiceLibrary } from "../service-library";

/** The generic approval BPMN (approval.bpmn): one process for every approval matrix. */
export const APPROVAL_BPMN = readFileSync(new URL("./approval.bpmn", import.meta.url), "utf8");

/** Deploys the generic approval process under `key` (a new version only when the XML changed). */
export function deployApprovalProcess(
  knex: Knex,
  deps: { library: ServiceLibrary; registry: MetadataRegistry },
  options: { key?: string; entity?: string },
  actor: string,
) {
  return deployWorkflow(
    knex,
    deps,
    {
      key: options.key ?? "approval",
      xml: APPROVAL_BPMN,
      name: "Approval",
      ...(options.entity ? { entity: options.entity } : {}),
    },
    actor,
  );
}
