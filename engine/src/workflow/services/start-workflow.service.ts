import type { WorkflowService } from "../workflow-service";

/** `startWorkflow(key, variables?, businessKey?)`: starts the latest version of another process; returns its id. */
export const startWorkflowService: WorkflowService = {
  name: "startWorkflow",
  version: 1,
  description: "Starts an instance of another deployed process (latest version) with the given variables.",
  inputSchema: {
    type: "object",
    properties: {
      key: { type: "string", minLength: 1 },
      variables: { type: "object" },
      businessKey: { type: "string" },
    },
    required: ["key"],
  },
  async run({ input, startInstance }) {
    const variables = (input.variables ?? {}) as Record<string, unknown>;
    const id = await startInstance(String(input.key), variables, input.businessKey as string | undefined);
    return { instanceId: id };
  },
};
