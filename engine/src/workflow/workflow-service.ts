import type { Knex } from "knex";
import type { EngineContext } from "../engine-context";
import type { Principal } from "../security/principal";

/** The instance a service runs for. */
export interface InstanceRef {
  id: string;
  key: string;
  version: number;
  startedBy: string;
  entity: string | null;
  recordId: string | null;
}

/** Everything a library service may use: it writes only through `trx`, the transaction of the instance's step. */
export interface ServiceCall {
  trx: Knex;
  ctx: EngineContext;
  instance: InstanceRef;
  /** bpmn-engine's execution id of this run of the task: with the instance id, the idempotency key. */
  executionId: string;
  elementId: string;
  input: Record<string, unknown>;
  now: Date;
  /** Acting as the workflow (channel `workflow`) for record writes and the audit trail. */
  principal: Principal;
  /** Starts another instance in the same transaction (it runs to its first wait before this step commits). */
  startInstance(key: string, variables: Record<string, unknown>, businessKey?: string): Promise<string>;
  /**
   * Inserts `rows` into `table` (schema-qualified) with the step's own writes, in one statement, unless this call
   * fails. Services of the step that run after this one see them; this one does not.
   */
  writeWithStep(table: string, rows: Array<Record<string, unknown>>): void;
}

/**
 * A named, versioned library service that service tasks call. `inputSchema` (JSON Schema) checks the inputs at
 * deploy time (names) and at run time (values). Effects must be written through `call.trx` so they commit with the
 * instance state; the runtime records an idempotency row per (instance, execution id) in the same transaction.
 */
export interface WorkflowService {
  name: string;
  version: number;
  description: string;
  inputSchema: { type: "object"; properties: Record<string, object>; required?: string[] };
  /** Which inputs name an entity and its written fields, for the impact graph. */
  reads?: (input: Record<string, string>) => Array<{ entity: string; field?: string }>;
  run(call: ServiceCall): Promise<unknown>;
  /**
   * True when a call with these inputs neither writes nor reads through `trx` (its writes go through `writeWithStep`):
   * it then runs without a savepoint of its own (a round trip), having nothing to undo. Absent: false.
   */
  writesOnlyWithStep?(input: Record<string, unknown>): boolean;
}
