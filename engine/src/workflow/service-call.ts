import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { Principal } from "../security/principal";
import { SYSTEM_PRINCIPAL } from "../security/principal";
import type { OwedRows } from "./owed-rows";
import type { RuntimeDeps } from "./runtime-deps";
import { schemaIssues } from "./schema-check";
import type { InstanceRef } from "./workflow-service";

/** The principal a workflow acts as: Kehu itself, named after the process, on channel `workflow`. */
export function workflowPrincipal(key: string): Principal {
  return { ...SYSTEM_PRINCIPAL, login: `workflow:${key}`, channel: "workflow" };
}

/**
 * Runs a library service exactly once per (instance, execution id): a stored result is returned as is; otherwise the
 * service runs under a savepoint of its step (`underSavepoint`: a failure undoes only its own writes), or without one
 * when it writes only with the step (see WorkflowService.writesOnlyWithStep). Once it succeeded, its idempotency row
 * and the rows it handed over (`writeWithStep`) go to `owe`, for the step to write in the same transaction as its
 * other effects (see StepEffects). An instance created in this very transaction (`fresh`) has no stored results.
 */
export async function callService(
  trx: Knex,
  deps: RuntimeDeps,
  instance: InstanceRef,
  name: string,
  call: { executionId: string; elementId: string; input: Record<string, unknown> },
  startInstance: (trx: Knex, key: string, variables: Record<string, unknown>, businessKey?: string) => Promise<string>,
  underSavepoint: <T>(work: () => Promise<T>) => Promise<T>,
  owe: (owed: OwedRows) => void,
  fresh = false,
): Promise<unknown> {
  const done = fresh
    ? undefined
    : await trx("kehu.wf_effects").where({ instance_id: instance.id, execution_id: call.executionId }).first("result");
  if (done) return done.result;
  const service = deps.library.get(name);
  if (!service) throw new AppError("invalid_workflow", `Unknown service "${name}"`);
  const issues = schemaIssues(service.inputSchema, call.input, "/input");
  if (issues.length)
    throw new AppError(
      "validation_failed",
      `${call.elementId}: inputs of ${name} are not valid: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`,
      issues,
    );
  const handedOver: OwedRows[] = [];
  const work = async () => {
    const result = await service.run({
      trx,
      ctx: deps.ctx,
      instance,
      executionId: call.executionId,
      elementId: call.elementId,
      input: call.input,
      now: deps.clock.now(),
      principal: workflowPrincipal(instance.key),
      startInstance: (key, variables, businessKey) => startInstance(trx, key, variables, businessKey),
      writeWithStep: (table, rows) => handedOver.push({ table, rows }),
    });
    for (const owed of handedOver) owe(owed);
    const effect = { instance_id: instance.id, execution_id: call.executionId, service: name, result: result ?? null };
    owe({ table: "kehu.wf_effects", rows: [effect] });
    return result ?? null;
  };
  return service.writesOnlyWithStep?.(call.input) ? work() : underSavepoint(work);
}
