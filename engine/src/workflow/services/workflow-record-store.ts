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
