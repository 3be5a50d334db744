import type { WorkflowServiceInfo } from "@kehu/client";
import Form from "@rjsf/core";
import validator from "@rjsf/validator-ajv8";
import { useContext, useState } from "react";
import { useTranslation } from "react-i18next";
import { EntitiesContext } from "../shell/entities-context";
import type { BpmnElement, Moddle, Modeling } from "./bpmn-types";
import { inputFormSchema, inputsToParameters, parametersToInputs } from "./service-inputs";

interface PanelProps {
  element: BpmnElement | null;
  modeling: Modeling;
  moddle: Moddle;
  services: WorkflowServiceInfo[];
}

/** A text property that keeps what is typed and writes it to the diagram on every change. */
function TextProp(props: { label: string; name: string; value: string; help?: string; onChange: (v: string) => void }) {
  const [text, setText] = useState(props.value);
  return (
    <label className="stacked">
      {props.label}
      <input
        name={props.name}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(e.target.value);
        }}
      />
      {props.help && <small className="muted">{props.help}</small>}
    </label>
  );
}

const attr = (element: BpmnElement, name: string) => {
  const v = element.businessObject.get(name);
  return typeof v === "string" ? v : "";
};

/** Service task: the Kehu service (topic of an external task) and its inputs as a form from the service's schema. */
function ServiceTaskProps({ element, modeling, moddle, services }: PanelProps & { element: BpmnElement }) {
  const { t } = useTranslation();
  const [topic, setTopic] = useState(attr(element, "camunda:topic"));
  const values = element.businessObject.extensionElements?.values ?? [];
  const io = values.find((v) => v.$type === "camunda:InputOutput");
  const [data, setData] = useState(() => parametersToInputs(io?.inputParameters ?? []));
  const service = services.find((s) => s.name === topic);

  const writeInputs = (next: Record<string, unknown>) => {
    setData(next);
    const bo = element.businessObject;
    const params = inputsToParameters(next).map((p) => moddle.create("camunda:InputParameter", p));
    const others = (bo.extensionElements?.values ?? []).filter((v) => v.$type !== "camunda:InputOutput");
    const ioElement = moddle.create("camunda:InputOutput", { inputParameters: params });
    const extensionElements = moddle.create("bpmn:ExtensionElements", {
      values: params.length ? [...others, ioElement] : others,
    });
    modeling.updateProperties(element, { extensionElements });
  };

  return (
    <>
      <label className="stacked">
        {t("workflows.props.service")}
        <select
          name="service"
          value={topic}
          onChange={(e) => {
            setTopic(e.target.value);
            modeling.updateProperties(element, {
              "camunda:type": e.target.value ? "external" : undefined,
              "camunda:topic": e.target.value || undefined,
            });
          }}
        >
          <option value="">{t("workflows.props.pickService")}</option>
          {services.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      {service && (
        <div className="service-inputs" data-testid="service-inputs">
          <p className="muted">{service.description}</p>
          <h4>{t("workflows.props.inputs")}</h4>
          <small className="muted">{t("workflows.props.inputsHelp")}</small>
          <Form
            key={service.name}
            schema={inputFormSchema(service)}
            formData={data}
            validator={validator}
            liveValidate
            noHtml5Validate
            showErrorList={false}
            onChange={(e) => writeInputs((e.formData ?? {}) as Record<string, unknown>)}
          >
            <span />
          </Form>
        </div>
      )}
    </>
  );
}

/** User task: who does it (assignee, candidate groups) and the form it shows. */
function UserTaskProps({ element, modeling }: PanelProps & { element: BpmnElement }) {
  const { t } = useTranslation();
  const { entities } = useContext(EntitiesContext);
  const [formKey, setFormKey] = useState(attr(element, "camunda:formKey"));
  const set = (name: string) => (v: string) => modeling.updateProperties(element, { [name]: v.trim() || undefined });
  return (
    <>
      <TextProp
        label={t("workflows.props.assignee")}
        name="assignee"
        value={attr(element, "camunda:assignee")}
        onChange={set("camunda:assignee")}
      />
      <TextProp
        label={t("workflows.props.candidateGroups")}
        name="candidateGroups"
        value={attr(element, "camunda:candidateGroups")}
        onChange={set("camunda:candidateGroups")}
      />
      <label className="stacked">
        {t("workflows.props.formKey")}
        <select
          name="formKey"
          value={formKey}
          onChange={(e) => {
            setFormKey(e.target.value);
            set("camunda:formKey")(e.target.value);
          }}
        >
          <option value="">{t("workflows.props.noForm")}</option>
          {formKey && !entities.some((en) => `entity:${en.name}` === formKey) && (
            <option value={formKey}>{formKey}</option>
          )}
          {entities.map((en) => (
            <option key={en.name} value={`entity:${en.name}`}>{`entity:${en.name}`}</option>
          ))}
        </select>
      </label>
    </>
  );
}

/** Sequence flow: the condition expression that lets a token through. */
function FlowProps({ element, modeling, moddle }: PanelProps & { element: BpmnElement }) {
  const { t } = useTranslation();
  return (
    <TextProp
      label={t("workflows.props.condition")}
      name="condition"
      help={t("workflows.props.conditionHelp")}
      value={element.businessObject.conditionExpression?.body ?? ""}
      onChange={(body) =>
        modeling.updateProperties(element, {
          conditionExpression: body.trim() ? moddle.create("bpmn:FormalExpression", { body: body.trim() }) : undefined,
        })
      }
    />
  );
}

/**
 * The modeler's side panel for the selected element: its name, and what Kehu needs of service tasks, user tasks and
 * sequence flows. Each change goes through bpmn-js's modeling (so undo works).
 */
export function PropertiesPanel(props: PanelProps) {
  const { t } = useTranslation();
  const { element } = props;
  if (!element || element.type === "bpmn:Process" || element.type === "label")
    return (
      <aside className="bpmn-props" data-testid="properties-panel">
        <h3>{t("workflows.props.title")}</h3>
        <p className="muted">{t("workflows.props.pick")}</p>
      </aside>
    );
  const bo = element.businessObject;
  return (
    <aside className="bpmn-props" data-testid="properties-panel" data-element={element.id}>
      <h3>{t("workflows.props.title")}</h3>
      <dl>
        <dt>{t("workflows.props.id")}</dt>
        <dd>
          <code>{element.id}</code>
        </dd>
        <dt>{t("workflows.props.type")}</dt>
        <dd>{bo.$type.replace(/^bpmn:/, "")}</dd>
      </dl>
      <div key={element.id}>
        <TextProp
          label={t("workflows.props.name")}
          name="name"
          value={bo.name ?? ""}
          onChange={(name) => props.modeling.updateProperties(element, { name: name || undefined })}
        />
        {bo.$type === "bpmn:ServiceTask" && <ServiceTaskProps {...props} element={element} />}
        {bo.$type === "bpmn:UserTask" && <UserTaskProps {...props} element={element} />}
        {bo.$type === "bpmn:SequenceFlow" && <FlowProps {...props} element={element} />}
      </div>
    </aside>
  );
}
