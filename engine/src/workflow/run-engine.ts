import { EventEmitter } from "node:events";
import { AppError } from "@kehu/core";
import {
  type ActivityApi,
  type BpmnEngine,
  type BpmnExecution,
  NO_SCRIPTS,
  newBpmnEngine,
  sourceLeftOutOfState,
} from "./bpmn-engine-facade";
import { bpmnExpressions } from "./bpmn-expressions";
import { camundaModdle } from "./camunda-moddle";
import { evaluateBpmnExpression } from "./compile-bpmn-expression";
import { DurableTimers } from "./durable-timers";
import { inputParametersOf, resolveInputs } from "./extension-elements";
import { serviceNameOf } from "./service-name";

export type StepSignal =
  | { kind: "start"; variables: Record<string, unknown> }
  | { kind: "task"; executionId: string; output: Record<string, unknown> }
  | { kind: "timer"; executionId: string }
  | { kind: "resume" };

export interface WaitingTask {
  elementId: string;
  executionId: string;
  name: string | null;
  behaviour: Record<string, unknown>;
  /** One instance of a multi-instance task: its element variable (`approver` = one item of the collection). */
  scope: Record<string, unknown>;
}

export interface ActiveTimer {
  elementId: string;
  executionId: string;
  /** Virtual-clock due time of a timer set in this step; null for one only resumed (its stored due time stands). */
  due: Date | null;
}

export interface HistoryEvent {
  elementId: string;
  elementType: string;
  event: string;
  at: Date;
}

export interface EngineRun {
  status: "completed" | "waiting" | "failed";
  state: unknown;
  variables: Record<string, unknown>;
  active: string[];
  tasks: WaitingTask[];
  timers: ActiveTimer[];
  events: HistoryEvent[];
  error?: string;
  /** The element whose failure stopped the step (a service task, a timer), when the engine says which. */
  failedAt?: { elementId: string; elementType: string };
  /** False when a timer signal found its timer no longer active (the step changed nothing). */
  applied: boolean;
  /** The engine, still waiting in memory, for this process's next step of the instance (see HotEngines). */
  hot?: HotEngine;
}

/** What the engine's extension, services, timers and listener read for the step being run (a hot engine runs many). */
interface StepScope {
  options: RunOptions;
  events: HistoryEvent[];
  failure: unknown;
}

/**
 * An engine kept in memory after a step that left its instance waiting. Its next step continues it as is, without the
 * JSON parse, recover and resume, but only while the instance row is still at the revision this engine wrote.
 */
export interface HotEngine {
  engine: BpmnEngine;
  execution: BpmnExecution;
  timers: DurableTimers;
  /** The user tasks it reported waiting: a continued engine does not report them again as a resumed one does. */
  tasks: Map<string, WaitingTask>;
  inflight: { n: number };
  scope: StepScope;
}

export interface RunOptions {
  instanceId: string;
  xml: string;
  /** The parsed XML (see sourceContextOf), used instead of `xml`; with it the saved state carries no BPMN copy. */
  sourceContext?: object;
  state: unknown | null;
  /** An engine this process left waiting at the instance's current revision: continued instead of recovering `state`. */
  hot?: HotEngine;
  signal: StepSignal;
  now: () => Date;
  scriptsEnabled: boolean;
  runService(
    name: string,
    call: { executionId: string; elementId: string; input: Record<string, unknown> },
  ): Promise<unknown>;
}

const RESERVED = new Set(["fields", "content", "properties"]);
const TASK_TYPES = new Set(["bpmn:UserTask", "bpmn:ManualTask"]);

function serviceBehaviour(scope: StepScope, inflight: { n: number }) {
  return function KehuService(activity: {
    id: string;
    behaviour: Record<string, unknown>;
    environment: { variables: Record<string, unknown> };
  }) {
    return {
      execute(message: { content: { executionId: string } }, callback: (err: unknown, out?: unknown) => void) {
        const options = scope.options;
        const variables = activity.environment.variables;
        const name = serviceNameOf(activity.behaviour) ?? "";
        inflight.n++;
        Promise.resolve()
          .then(() => {
            const raw = inputParametersOf(activity.behaviour.extensionElements);
            const input = resolveInputs(raw, (src) => evaluateBpmnExpression(src, variables, { now: options.now }));
            return options.runService(name, {
              executionId: message.content.executionId,
              elementId: activity.id,
              input,
            });
          })
          .then(
            (result) => {
              const rv = activity.behaviour.resultVariable;
              if (typeof rv === "string" && rv) variables[rv] = result;
              inflight.n--;
              callback(null, result);
            },
            (err) => {
              inflight.n--;
              callback(err);
            },
          );
      },
    };
  };
}

function kehuExtension(scope: StepScope, inflight: { n: number }) {
  const Service = serviceBehaviour(scope, inflight);
  return (activity: {
    type: string;
    behaviour: Record<string, unknown>;
    environment: { variables: Record<string, unknown> };
    on(event: string, fn: (api: ActivityApi) => void): void;
  }) => {
    if (activity.type === "bpmn:ServiceTask") activity.behaviour.Service = Service;
    if (TASK_TYPES.has(activity.type))
      activity.on("end", (api) => {
        // A multi-instance task's iterations (one per approver) and its collected outputs (an array) are no one
        // task's answer: copying them would leave "0", "1"... and the last iteration's outcome in the variables.
        if (api.content.isMultiInstance || Array.isArray(api.content.output)) return;
        const output = (api.content.output ?? {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(output)) if (!RESERVED.has(k)) activity.environment.variables[k] = v;
      });
  };
}

async function settle(engine: BpmnEngine, inflight: { n: number }): Promise<void> {
  for (let quiet = 0; quiet < 2; ) {
    await new Promise((r) => setImmediate(r));
    if (engine.state !== "running") return;
    if (inflight.n === 0 && engine.activityStatus !== "executing") quiet++;
    else quiet = 0;
  }
}

/** The element variable a multi-instance iteration carries in its message (`camunda:elementVariable`, else `item`). */
function iterationScope(api: ActivityApi): Record<string, unknown> {
  const content = api.content;
  if (!content.isMultiInstance) return {};
  const loop = (api.owner?.behaviour?.loopCharacteristics ?? {}) as { behaviour?: { elementVariable?: string } };
  const name = loop.behaviour?.elementVariable ?? "item";
  return { [name]: content[name] };
}

function listen(scope: StepScope, tasks: Map<string, WaitingTask>): EventEmitter {
  const listener = new EventEmitter();
  const record = (event: string) => (api: ActivityApi) => {
    if (api.fields?.redelivered) return;
    scope.events.push({ elementId: api.id, elementType: api.type, event, at: scope.options.now() });
  };
  for (const e of ["start", "end", "timeout"]) listener.on(`activity.${e}`, record(e));
  listener.on("wait", (api: ActivityApi) => {
    if (TASK_TYPES.has(api.type))
      tasks.set(api.executionId, {
        elementId: api.id,
        executionId: api.executionId,
        name: api.name ?? null,
        behaviour: api.owner?.behaviour ?? {},
        scope: iterationScope(api),
      });
  });
  return listener;
}

/**
 * What waits now, an iteration of a multi-instance task on its own (the process lists only the activity, whose
 * execution holds the iterations' waits).
 */
function waitingApis(execution: BpmnExecution): ActivityApi[] {
  return execution.getPostponed().flatMap((api) => {
    const inner = (api.owner?.execution?.getPostponed() ?? []).filter((a) => a.content.isMultiInstance);
    return inner.length ? inner : [api];
  });
}

/** Whether applying the signal moves the engine on (a task completes, a timer fires). */
function signalsEngine(signal: StepSignal): boolean {
  return signal.kind === "task" || signal.kind === "timer";
}

function applySignal(execution: BpmnExecution, timers: DurableTimers, signal: StepSignal): boolean {
  if (signal.kind === "task") {
    const api = waitingApis(execution).find((a) => a.executionId === signal.executionId);
    if (!api) throw new AppError("conflict", "The task is no longer waiting");
    api.signal(signal.output);
  }
  if (signal.kind === "timer") {
    const ref = timers.executing.find(
      (t) => (t.args[0] as { executionId?: string })?.executionId === signal.executionId,
    );
    if (!ref) return false;
    timers.fire(ref);
  }
  return true;
}

/**
 * Runs one step of an instance in memory: the hot engine given, or a new engine (one per instance, services and
 * extensions given to the constructor so a recovered engine has them) started or recovered from `state`; the signal
 * applied, then run until every token waits (user task, timer) or the process ends. Nothing is written here; the
 * caller persists the result and may keep the engine it returns as `hot` for the instance's next step.
 */
export async function runEngine(options: RunOptions): Promise<EngineRun> {
  const continued = options.hot && stillHot(options.hot, options) ? options.hot : undefined;
  const hot = continued ?? (await startEngine(options));
  const { engine, execution, timers, tasks, inflight, scope } = hot;
  if (continued) {
    scope.options = options;
    scope.events = [];
    scope.failure = undefined;
  }
  // A continued engine was left settled by its previous step: nothing of it runs until the signal.
  if (!continued) await settle(engine, inflight);
  // A timer overdue on the real clock completes by itself on resume; that counts as the fire.
  const firedOnResume = scope.events.some((e) => e.event === "timeout");
  const applied = Boolean(scope.failure) || applySignal(execution, timers, options.signal) || firedOnResume;
  // A start or resume signal sets nothing off (the engine already ran to its waits above).
  if (signalsEngine(options.signal)) await settle(engine, inflight);
  const run = await collect(engine, execution, timers, {
    events: scope.events,
    tasks,
    failure: scope.failure,
    applied,
  });
  // No stop() of an engine left behind: DurableTimers never arms a real timeout and nothing else holds it, so it is
  // simply dropped (stop() publishes through every element's broker: a few percent of a step's CPU).
  return run.status === "waiting" && applied ? { ...run, hot } : run;
}

/**
 * Whether a hot engine may run this step as a recovered one would: built under the same script setting (an admin's
 * switch applies to the next step), and no timer of it already due, which a recovered engine fires on resume before
 * the signal (an approval's overdue SLA escalates even when the approver's click reaches this process first).
 */
function stillHot(hot: HotEngine, options: RunOptions): boolean {
  if (hot.scope.options.scriptsEnabled !== options.scriptsEnabled) return false;
  const now = options.now().getTime();
  return !hot.timers.executing.some((t) => t.expireAt.getTime() <= now);
}

/** A new engine, started or recovered from `options.state` and resumed. */
async function startEngine(options: RunOptions): Promise<HotEngine> {
  const inflight = { n: 0 };
  const scope: StepScope = { options, events: [], failure: undefined };
  const now = () => scope.options.now();
  const timers = new DurableTimers(now);
  const tasks = new Map<string, WaitingTask>();
  const engine = newBpmnEngine({
    name: options.instanceId,
    // With the parse at hand the saved state leaves the BPMN out and recovers from the parse (a state saved with its
    // source, by an older release or without a parse, still recovers from its own copy).
    ...(options.sourceContext
      ? { sourceContext: sourceLeftOutOfState(options.sourceContext, options.state) }
      : options.state
        ? {}
        : { source: options.xml }),
    moddleOptions: { camunda: camundaModdle },
    extensions: { kehu: kehuExtension(scope, inflight) },
    timers,
    expressions: bpmnExpressions(now),
    ...(options.scriptsEnabled ? {} : { scripts: NO_SCRIPTS }),
    disableDummyScript: true,
  });
  engine.once("error", (err) => {
    scope.failure = err;
  });
  const listener = listen(scope, tasks);
  const execution = options.state
    ? await engine.recover(options.state).resume({ listener })
    : await engine.execute({
        listener,
        variables: options.signal.kind === "start" ? options.signal.variables : {},
      });
  return { engine, execution, timers, tasks, inflight, scope };
}

/** The element an engine error came from: bpmn-elements' ActivityError carries its source message. */
function failedElement(failure: unknown): EngineRun["failedAt"] {
  const content = (failure as { source?: { content?: { id?: unknown; type?: unknown } } } | undefined)?.source?.content;
  return typeof content?.id === "string" && typeof content.type === "string"
    ? { elementId: content.id, elementType: content.type }
    : undefined;
}

async function collect(
  engine: BpmnEngine,
  execution: BpmnExecution,
  timers: DurableTimers,
  run: { events: HistoryEvent[]; tasks: Map<string, WaitingTask>; failure: unknown; applied: boolean },
): Promise<EngineRun> {
  const rawVars = execution.definitions[0]?.getProcesses()[0]?.environment.variables ?? {};
  const variables = Object.fromEntries(Object.entries(rawVars).filter(([k]) => !RESERVED.has(k)));
  const postponed = run.failure ? [] : waitingApis(execution);
  const waiting = new Set(postponed.map((a) => a.executionId));
  for (const executionId of run.tasks.keys()) if (!waiting.has(executionId)) run.tasks.delete(executionId);
  const status = run.failure ? "failed" : engine.state === "running" ? "waiting" : "completed";
  return {
    status,
    // Only a waiting instance is ever recovered: a completed one keeps no state (getState serialises every broker).
    state: status === "waiting" ? await engine.getState() : null,
    variables,
    active: [...new Set(postponed.map((a) => a.id))],
    tasks: [...run.tasks.values()],
    timers: timers.executing.map((t) => {
      const owner = (t.args[0] ?? {}) as { id?: string; executionId?: string };
      return {
        elementId: owner.id ?? "?",
        executionId: owner.executionId ?? t.timerId,
        due: t.owner?.isResumed ? null : t.expireAt,
      };
    }),
    events: run.events,
    error: run.failure ? (run.failure as Error).message : undefined,
    failedAt: failedElement(run.failure),
    applied: run.applied,
  };
}
