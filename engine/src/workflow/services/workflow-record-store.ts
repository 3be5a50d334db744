import { AppError } from "@kehu/core";
import { RecordStore } from "../../records/record-store";
import { referrersOf } from "../../records/referrers";
import { Access } from "../../security/access";
import { recordHooksOf } from "../../security/record-hooks";
import type { ServiceCall } from "../workflow-service";

/** A RecordStore on the step's transaction with the workflow principal's hooks (scopes, audit with channel `workflow`). */
export async function workflowRecordStore(
  { trx, ctx, principal }: Pick<ServiceCall, "trx" | "ctx" | "principal">,
  entityName: string,
): Promise<RecordStore> {
  const entity = ctx.registry.require(entityName);
  const access = await Access.load(trx, principal, (name) => ctx.registry.get(name));
  return new RecordStore(trx, entity, referrersOf(ctx.registry.list(), entity.name), recordHooksOf(access, entity));
}

/** The record a record service acts on: its `id` input, else the record the instance was started for. */
export function targetRecordId(call: Pick<ServiceCall, "input" | "instance">, service: string): string {
  const id = call.input.id ?? call.instance.recordId;
  if (id === undefined || id === null || id === "")
    throw new AppError(
      "validation_failed",
      `${service}: no id input, and the instance was started for no record (start it for one, or give id)`,
    );
  return String(id);
}
