import type { EventEmitter } from "node:events";
import { Engine } from "bpmn-engine";

/** The few parts of a postponed activity's API the runtime uses. */
export interface ActivityApi {
  id: string;
  type: string;
  name?: string;
  executionId: string;
  content: Record<string, unknown>;
  fields?: { redelivered?: boolean };
  owner?: { behaviour?: Record<string, unknown>; execution?: { getPostponed(): ActivityApi[] } };
  signal(message?: unknown): void;
}

export interface BpmnExecution {
  getPostponed(): ActivityApi[];
  definitions: Array<{ getProcesses(): Array<{ environment: { variables: Record<string, unknown> } }> }>;
}

/** bpmn-engine's Engine as the runtime uses it (its bundled typings do not compile without skipLibCheck tricks). */
export interface BpmnEngine {
  readonly state: string;
  readonly activityStatus: string;
  readonly execution?: BpmnExecution;
  execute(options: { listener: EventEmitter; variables?: Record<string, unknown> }): Promise<BpmnExecution>;
  recover(state: unknown): BpmnEngine;
  resume(options: { listener: EventEmitter }): Promise<BpmnExecution>;
  getState(): Promise<unknown>;
  stop(): Promise<void>;
  once(event: "error" | "end", listener: (arg: unknown) => void): void;
}

const SILENT = { debug() {}, error() {}, warn() {} };

/**
 * bpmn-engine logs through the `debug` package, which builds three loggers (each checking whether stderr is a
 * terminal, a system call) for the engine and for every element of every engine it builds: about 3% of a step's CPU
 * for logs nobody reads. The engines log nowhere unless DEBUG is set (DEBUG=bpmn-engine:* shows them as before).
 */
const quietLogs = process.env.DEBUG ? {} : { Logger: () => SILENT };

/** Builds an engine; the options object is passed through as bpmn-engine documents it. */
export function newBpmnEngine(options: Record<string, unknown>): BpmnEngine {
  return new (Engine as unknown as new (o: Record<string, unknown>) => BpmnEngine)({ ...quietLogs, ...options });
}

/** Inline scripts are refused (node:vm reaches the host process) unless an admin enables them. */
export const NO_SCRIPTS = {
  register() {},
  getScript() {},
};

/**
 * Parses BPMN once into bpmn-engine's serialized source context, for starting many instances without parsing the XML
 * each time (a deployment version never changes). bpmn-engine 25 keeps the parse it starts for `source` under this
 * symbol; undefined when it does not (then callers pass the XML).
 */
export async function sourceContextOf(xml: string, moddleOptions: object): Promise<object | undefined> {
  const engine = newBpmnEngine({ source: xml, moddleOptions }) as unknown as Record<symbol, unknown>;
  const pending = engine[Symbol.for("pending sources")];
  if (!(pending instanceof Set) || pending.size !== 1) return undefined;
  return (await [...pending][0]) as object;
}

/**
 * The parse as an engine source whose `getState()` leaves the BPMN out (bpmn-engine embeds the whole serialized
 * source in every saved state otherwise: about 3 KB per instance, stringified on save and parsed again on recover).
 * Such a state recovers only into an engine given the same parse as `sourceContext`; a deployment version never
 * changes, so the instance's version always gives it back.
 */
export function sourceLeftOutOfState(sourceContext: object, savedState: unknown): object {
  // recover() looks the source up by the saved definition's id; a <definitions> without an id is saved as "Def".
  const saved = (savedState as { definitions?: Array<{ id?: string }> } | null)?.definitions?.[0]?.id;
  const id = (sourceContext as { id?: string }).id ?? saved;
  return Object.create(sourceContext, { serialize: { value: () => undefined }, id: { value: id } });
}
