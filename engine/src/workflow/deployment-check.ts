import type { Issue } from "@kehu/core";
import { SYSTEM_FIELDS } from "@kehu/schema";
import { FormulaError } from "../computed/formula-ast";
import type { MetadataRegistry } from "../metadata/registry";
import { compileBpmnExpression } from "./compile-bpmn-expression";
import { extensionValues, formFieldsOf, inputParametersOf, propertiesOf } from "./extension-elements";
import { formSchemaOf } from "./form-schema";
import type { BpmnNode } from "./parse-bpmn";
import { schemaProblem } from "./schema-check";
import type { ServiceLibrary } from "./service-library";
import { serviceNameOf } from "./service-name";
import { taskDateProblem, taskPriorityProblem } from "./task-schedule";
import { timerValueProblem } from "./timer-values";

const FLOW_NODES = new Set([
  "bpmn:StartEvent",
  "bpmn:EndEvent",
  "bpmn:IntermediateCatchEvent",
  "bpmn:IntermediateThrowEvent",
  "bpmn:BoundaryEvent",
  "bpmn:UserTask",
  "bpmn:ServiceTask",
  "bpmn:ScriptTask",
  "bpmn:ManualTask",
  "bpmn:Task",
  "bpmn:ReceiveTask",
  "bpmn:ExclusiveGateway",
  "bpmn:ParallelGateway",
  "bpmn:InclusiveGateway",
  "bpmn:EventBasedGateway",
  "bpmn:SequenceFlow",
  "bpmn:SubProcess",
  "bpmn:DataObject",
  "bpmn:DataObjectReference",
]);
const EVENT_DEFINITIONS = new Set([
  "bpmn:TimerEventDefinition",
  "bpmn:ErrorEventDefinition",
  "bpmn:MessageEventDefinition",
  "bpmn:SignalEventDefinition",
  "bpmn:TerminateEventDefinition",
]);

/** A field (or entity) a deployment reads or writes, for the impact graph. */
export interface DeploymentRead {
  entity: string;
  field?: string;
  elementId: string;
}

export interface CheckOptions {
  library: ServiceLibrary;
  registry: MetadataRegistry;
  scriptsEnabled: boolean;
  /** The entity instances are started for: `record.<field>` in expressions reads its fields. */
  entity?: string;
}

interface Checker extends CheckOptions {
  issues: Issue[];
  reads: DeploymentRead[];
  /** The messages and signals the process throws itself (`message:<id>`): only these can ever be caught. */
  thrown: Set<string>;
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

function problem(c: Checker, id: string | undefined, message: string) {
  c.issues.push({ path: `/elements/${id ?? "?"}`, message: `${id ?? "element"}: ${message}` });
}

function checkExpressionText(c: Checker, id: string, text: string | undefined, what: string) {
  if (!text?.includes("${")) return;
  for (const m of text.matchAll(/\$\{([\s\S]+?)\}/g)) {
    let references: string[];
    try {
      references = compileBpmnExpression(m[1].trim()).references;
    } catch (e) {
      if (!(e instanceof FormulaError)) throw e;
      problem(c, id, `${what} ${e.message}`);
      continue;
    }
    if (!c.entity) continue;
    for (const ref of references)
      if (ref.startsWith("record.")) c.reads.push({ entity: c.entity, field: ref.slice(7), elementId: id });
  }
}

function checkServiceTask(c: Checker, el: BpmnNode) {
  const id = el.id ?? "?";
  const name = serviceNameOf(el as never);
  if (!name) return problem(c, id, 'names no service (write camunda:type="external" camunda:topic="<service>")');
  const service = c.library.get(name);
  if (!service) return problem(c, id, `unknown service "${name}" (known: ${c.library.names().join(", ")})`);
  const inputs = inputParametersOf(el.extensionElements);
  const allowed = service.inputSchema.properties;
  for (const [input, value] of Object.entries(inputs)) {
    if (!(input.split(".")[0] in allowed)) problem(c, id, `service "${name}" has no input "${input}"`);
    checkExpressionText(c, id, value, `input "${input}":`);
  }
  for (const req of service.inputSchema.required ?? [])
    if (!Object.keys(inputs).some((k) => k.split(".")[0] === req))
      problem(c, id, `service "${name}" needs input "${req}"`);
  for (const r of service.reads?.(inputs) ?? []) {
    if (!c.registry.get(r.entity)) problem(c, id, `service "${name}" names unknown entity "${r.entity}"`);
    else c.reads.push({ ...r, elementId: id });
  }
}

function checkUserTask(c: Checker, el: BpmnNode) {
  const id = el.id ?? "?";
  const formKey = str(el.formKey);
  if (formKey) {
    const entity = /^entity:([a-z][a-z0-9_]*)$/.exec(formKey)?.[1];
    if (!entity || !c.registry.get(entity)) problem(c, id, `unknown form "${formKey}" (forms are entity:<entity>)`);
  }
  for (const attr of ["assignee", "candidateUsers", "candidateGroups"])
    checkExpressionText(c, id, str(el[attr]), `${attr}:`);
  checkSchedule(c, id, el);
  const outcomes = propertiesOf(el.extensionElements).outcomes;
  if (outcomes !== undefined && !outcomes.split(",").every((o) => /^[a-z][a-z0-9_]*$/.test(o.trim())))
    problem(c, id, `outcomes "${outcomes}" must be a comma-separated list of lower-case names`);
  else checkFormData(c, id, el, outcomes);
}

// A due date, follow-up date or priority that cannot be read would fail the step that opens the task.
function checkSchedule(c: Checker, id: string, el: BpmnNode) {
  for (const attr of ["dueDate", "followUpDate", "priority"]) {
    const text = str(el[attr]);
    if (text === undefined) continue;
    const why = attr === "priority" ? taskPriorityProblem(text) : taskDateProblem(text);
    if (why) problem(c, id, `${attr} ${why}`);
    else checkExpressionText(c, id, text, `${attr}:`);
  }
}

const NUMERIC_CONSTRAINTS = ["min", "max", "minlength", "maxlength"];

// The task's form (camunda:formData) becomes the JSON Schema its completions are checked against: one that cannot be
// compiled would refuse every completion of the task.
function checkFormData(c: Checker, id: string, el: BpmnNode, outcomes: string | undefined) {
  const fields = formFieldsOf(el.extensionElements);
  if (!fields?.length) return;
  const before = c.issues.length;
  for (const f of fields) {
    if (!f.id) {
      problem(c, id, "a form field needs an id");
      continue;
    }
    for (const constraint of f.validation?.constraints ?? [])
      if (
        NUMERIC_CONSTRAINTS.includes(constraint.name) &&
        constraint.config &&
        !Number.isFinite(Number(constraint.config))
      )
        problem(c, id, `form field "${f.id}": ${constraint.name} "${constraint.config}" is not a number`);
    if (f.type === "enum" && !f.values?.length) problem(c, id, `form field "${f.id}": an enum needs its values`);
  }
  if (c.issues.length > before) return;
  const why = schemaProblem(
    formSchemaOf(
      fields,
      outcomes?.split(",").map((o) => o.trim()),
    ),
  );
  if (why) problem(c, id, `the form cannot be checked: ${why}`);
}

const CATCHING = new Set(["bpmn:StartEvent", "bpmn:IntermediateCatchEvent", "bpmn:BoundaryEvent"]);
const THROWING = new Set(["bpmn:IntermediateThrowEvent", "bpmn:EndEvent"]);
const WAITED_FOR: Record<string, string> = {
  "bpmn:MessageEventDefinition": "message",
  "bpmn:SignalEventDefinition": "signal",
};

/** `message:<id>` of a message or signal definition (or of a receive task's message), and how to name it. */
function waitedFor(kind: string, ref: unknown): { key: string; label: string } {
  const r = ref as BpmnNode | undefined;
  return { key: `${kind}:${r?.id ?? ""}`, label: `${kind} "${str(r?.name) ?? r?.id ?? "(unnamed)"}"` };
}

/**
 * Collects what a process throws (message and signal throw and end events, at any depth), so a catch of the same
 * message or signal is known to be reachable.
 */
function collectThrown(c: Checker, el: BpmnNode) {
  if (THROWING.has(el.$type))
    for (const def of (el.eventDefinitions as BpmnNode[] | undefined) ?? []) {
      const kind = WAITED_FOR[def.$type];
      if (kind) c.thrown.add(waitedFor(kind, def[`${kind}Ref`]).key);
    }
  for (const child of (el.flowElements as BpmnNode[] | undefined) ?? []) collectThrown(c, child);
}

// Nothing delivers a message or a signal to an instance from outside (no correlation API): a catch of one its own
// process never throws would wait forever, and a message or signal start event would never start anything.
function checkWaitedFor(c: Checker, el: BpmnNode, topLevel: boolean) {
  const waits =
    el.$type === "bpmn:ReceiveTask"
      ? [waitedFor("message", el.messageRef)]
      : CATCHING.has(el.$type)
        ? ((el.eventDefinitions as BpmnNode[] | undefined) ?? [])
            .filter((def) => WAITED_FOR[def.$type])
            .map((def) => waitedFor(WAITED_FOR[def.$type], def[`${WAITED_FOR[def.$type]}Ref`]))
        : [];
  for (const w of waits) {
    if (el.$type === "bpmn:StartEvent" && topLevel)
      problem(
        c,
        el.id,
        `a ${w.label.split(" ")[0]} start event never starts an instance here; use a plain start event (instances start by trigger, by hand or by the API)`,
      );
    else if (!c.thrown.has(w.key))
      problem(
        c,
        el.id,
        `waits for ${w.label}, which nothing in this process throws (an instance receives no messages or signals from outside, so it would wait forever)`,
      );
  }
}

function checkEventDefinitions(c: Checker, el: BpmnNode) {
  for (const def of (el.eventDefinitions as BpmnNode[] | undefined) ?? []) {
    if (!EVENT_DEFINITIONS.has(def.$type)) problem(c, el.id, `${def.$type.slice(5)} is not supported`);
    if (def.$type !== "bpmn:TimerEventDefinition") continue;
    const kinds = ["timeDuration", "timeDate", "timeCycle"].filter((k) => def[k]);
    if (kinds.length !== 1) problem(c, el.id, "a timer needs exactly one of timeDuration, timeDate, timeCycle");
    for (const kind of kinds) {
      const body = str((def[kind] as BpmnNode).body)?.trim() ?? "";
      if (body.includes("${")) checkExpressionText(c, el.id ?? "?", body, `${kind}:`);
      else {
        const why = timerValueProblem(kind, body);
        if (why) problem(c, el.id, `${kind} ${why}`);
      }
    }
  }
}

// Camunda extensions that run code or map variables in ways Kehu does not: deploying them would silently drop them.
const UNSUPPORTED_EXTENSIONS: Record<string, string> = {
  "camunda:TaskListener": "task listeners run code, which Kehu never does (use a service task of the library)",
  "camunda:ExecutionListener":
    "execution listeners run code, which Kehu never does (use a service task of the library)",
  "camunda:Connector": "connectors are not supported (use the http service)",
};

function checkExtensions(c: Checker, el: BpmnNode) {
  for (const value of extensionValues(el.extensionElements)) {
    const why = UNSUPPORTED_EXTENSIONS[value.$type];
    if (why) problem(c, el.id, why);
    if (value.$type !== "camunda:InputOutput") continue;
    const io = value as { outputParameters?: unknown[] };
    if (io.outputParameters?.length)
      problem(c, el.id, "output parameters are not supported (name a service's result with camunda:resultVariable)");
    if (el.$type !== "bpmn:ServiceTask" && value.inputParameters?.length)
      problem(c, el.id, "input parameters only feed a service task's inputs; elsewhere they would be ignored");
  }
}

function checkNode(c: Checker, el: BpmnNode, topLevel: boolean) {
  if (!FLOW_NODES.has(el.$type)) return problem(c, el.id, `${el.$type.replace("bpmn:", "")} is not supported`);
  checkExtensions(c, el);
  checkWaitedFor(c, el, topLevel);
  if (el.$type === "bpmn:ScriptTask" && !c.scriptsEnabled)
    problem(c, el.id, "script tasks are disabled (an administrator can enable them in the workflow settings)");
  if (el.$type === "bpmn:ServiceTask") checkServiceTask(c, el);
  if (el.$type === "bpmn:UserTask") checkUserTask(c, el);
  checkEventDefinitions(c, el);
  if (el.$type === "bpmn:SequenceFlow" && el.conditionExpression) {
    const cond = el.conditionExpression as BpmnNode;
    if (str(cond.language) && !c.scriptsEnabled) problem(c, el.id, `script conditions (${cond.language}) are disabled`);
    else if (!str(cond.language)) {
      const body = str(cond.body)?.trim() ?? "";
      if (!/^\$\{[\s\S]+\}$/.test(body)) problem(c, el.id, `condition "${body}" must be an expression \${...}`);
      else checkExpressionText(c, el.id ?? "?", body, "condition:");
    }
  }
  for (const child of (el.flowElements as BpmnNode[] | undefined) ?? []) checkNode(c, child, false);
}

/** Every problem of a parsed deployment (element id and reason), and the entity fields it reads. Never throws. */
export function checkDeployment(definitions: BpmnNode, options: CheckOptions) {
  const c: Checker = { ...options, issues: [], reads: [], thrown: new Set() };
  const processes = ((definitions.rootElements as BpmnNode[] | undefined) ?? []).filter(
    (r) => r.$type === "bpmn:Process",
  );
  if (!processes.length) c.issues.push({ path: "/xml", message: "the XML has no process" });
  if (processes.length > 1) c.issues.push({ path: "/xml", message: "deploy one process per key (found several)" });
  for (const p of processes) {
    if (p.isExecutable === false) problem(c, p.id, 'the process is not executable (isExecutable="false")');
    if (p.candidateStarterGroups || p.candidateStarterUsers)
      problem(
        c,
        p.id,
        "candidate starters are not enforced: anyone who may start workflows may start this one (remove camunda:candidateStarterGroups/Users)",
      );
    checkExtensions(c, p);
    collectThrown(c, p);
    for (const el of (p.flowElements as BpmnNode[] | undefined) ?? []) checkNode(c, el, true);
  }
  checkReadFields(c);
  return { issues: c.issues, reads: c.reads };
}

/**
 * A field a deployment reads or writes (`record.<field>` in an expression of an entity's workflow, `values.<field>` of
 * a record service, a rule's field) must exist: a typo would read null or fail every instance at that step.
 */
function checkReadFields(c: Checker) {
  const seen = new Set<string>();
  for (const r of c.reads) {
    const entity = r.field !== undefined ? c.registry.get(r.entity) : undefined;
    if (!entity || !/^[a-z][a-z0-9_]*$/.test(r.field ?? "") || seen.has(`${r.elementId}:${r.entity}.${r.field}`))
      continue;
    seen.add(`${r.elementId}:${r.entity}.${r.field}`);
    const known =
      (SYSTEM_FIELDS as readonly string[]).includes(r.field!) || entity.fields.some((f) => f.name === r.field);
    if (!known) problem(c, r.elementId, `${r.entity} has no field "${r.field}"`);
  }
}
