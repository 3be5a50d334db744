import { AppError } from "@kehu/core";
import { rowToRecord } from "../../records/record-codec";
import { entityTableRef } from "../../storage/identifiers";
import type { WorkflowService } from "../workflow-service";

/**
 * `startForEach(key, entity, where.<field>, variable?, variables?)`: starts the workflow `key` once per live record of
 * `entity` whose fields equal `where` (a contract's settlement plan lines), each with the record in `variable`
 * (default `item`) and business key `<entity>:<id>`. Returns the instance ids.
 */
export const startForEachService: WorkflowService = {
  name: "startForEach",
  version: 1,
  description: "Starts a workflow once per record matching field values (e.g. each line of a contract).",
  inputSchema: {
    type: "object",
    properties: {
      key: { type: "string", minLength: 1 },
      entity: { type: "string" },
      where: { type: "object" },
      variable: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
      variables: { type: "object" },
    },
    required: ["key", "entity", "where"],
  },
  reads: (input) => (input.entity && !input.entity.includes("${") ? [{ entity: input.entity }] : []),
  async run({ trx, ctx, input, startInstance }) {
    const entity = ctx.registry.require(String(input.entity));
    const where = input.where as Record<string, unknown>;
    for (const field of Object.keys(where))
      if (!entity.fields.some((f) => f.name === field))
        throw new AppError("validation_failed", `startForEach: ${entity.name} has no field "${field}"`);
    const rows = await trx(entityTableRef(entity.name)).where(where).whereNull("deleted_at").orderBy("id");
    const variable = String(input.variable ?? "item");
    const extra = (input.variables ?? {}) as Record<string, unknown>;
    const instanceIds: string[] = [];
    for (const row of rows)
      instanceIds.push(
        await startInstance(
          String(input.key),
          { ...extra, [variable]: rowToRecord(entity, row) },
          `${entity.name}:${row.id}`,
        ),
      );
    return { started: instanceIds.length, instanceIds };
  },
};
