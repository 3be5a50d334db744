import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { Principal } from "../security/principal";
import { SYSTEM_PRINCIPAL } from "../security/principal";
import type { RuntimeDeps } from "./runtime-deps";
import { schemaIssues } from "./schema-check";
import type { EffectRow } from "./step-effects";
import type { InstanceRef } from "./workflow-service";

/** The principal a workflow acts as: Kehu itself, named after the process, on channel `workflow`. */
export function workflowPrincipal(key: string): Principal {
  return { ...SYSTEM_PRINCIPAL, login: `workflow:${key}`, channel: "workflow" };
}

/**
 * Runs a library service exactly once per (instance, execution id): a stored result is returned as is; otherwise the
 * service runs under a savepoint of its step (`underSavepoint`: a failure undoes only its own writes) and its
 * idempotency row is handed to `owe`, for the step to write in the same transaction as the effects (see StepEffects).
 * An instance created in this very transaction (`fresh`) has no stored results to look up.
 */
export async function callService(
  trx: Knex,
  deps: RuntimeDeps,
  instance: InstanceRef,
  name: string,
  call: { executionId: string; elementId: string; input: Record<string, unknown> },
  startInstance: (trx: Knex, key: string, variables: Record<string, unknown>, businessKey?: string) => Promise<string>,
  underSavepoint: <T>(work: () => Promise<T>) => Promise<T>,
  owe: (row: EffectRow) => void,
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
  return underSavepoint(async () => {
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
    });
    owe({
      instance_id: instance.id,
      execution_id: call.executionId,
      service: name,
      result: JSON.stringify(result ?? null),
    });
    return result ?? null;
  });
}
