import { KehuApiError, type WorkflowServiceInfo } from "@kehu/client";
import type { Issue } from "@kehu/core";
import Modeler from "bpmn-js/lib/Modeler";
import camundaModdle from "camunda-bpmn-moddle/resources/camunda.json";
import { useContext, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel } from "../lib/labels";
import { EntitiesContext } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import type { BpmnElement, Canvas, ElementRegistry, Moddle, Modeling, Selection } from "./bpmn-types";
import { NEW_PROCESS_XML } from "./new-process";
import { PropertiesPanel } from "./properties-panel";
import "bpmn-js/dist/assets/diagram-js.css";
import "bpmn-js/dist/assets/bpmn-js.css";
import "bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css";

const KEY = /^[a-z][a-z0-9_-]{0,62}$/;

/** The element an API problem names (`/elements/<id>`), if any. */
const elementOf = (issue: Issue) => /^\/elements\/(.+)$/.exec(issue.path)?.[1];

/**
 * The BPMN modeler (`#/workflows/~new/model`, `#/workflows/<key>/model`): bpmn-js with Kehu's side panel; edits the
 * latest deployed version (or a new process), deploys it as the next version and shows the engine's problems.
 */
export function ModelerPage({ processKey }: { processKey?: string }) {
  const { t, i18n } = useTranslation();
  const { entities } = useContext(EntitiesContext);
  const canvasRef = useRef<HTMLDivElement>(null);
  const [modeler, setModeler] = useState<Modeler | null>(null);
  const [selected, setSelected] = useState<BpmnElement | null>(null);
  const [services, setServices] = useState<WorkflowServiceInfo[]>([]);
  const [key, setKey] = useState(processKey ?? "");
  const [keyFixed, setKeyFixed] = useState(Boolean(processKey));
  const [name, setName] = useState("");
  const [entity, setEntity] = useState("");
  const [baseVersion, setBaseVersion] = useState<number | null>(null);
  const [deployedVersion, setDeployedVersion] = useState<number | null>(null);
  const [problems, setProblems] = useState<Issue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    kehu.workflows.services().then(setServices, setError);
  }, []);

  useEffect(() => {
    const m = new Modeler({ container: canvasRef.current!, moddleExtensions: { camunda: camundaModdle } });
    m.on("selection.changed", (e: { newSelection: BpmnElement[] }) => setSelected(e.newSelection[0] ?? null));
    const open = async () => {
      let xml = NEW_PROCESS_XML;
      if (processKey) {
        const [latest] = await kehu.workflows.deployments(processKey);
        if (latest) {
          xml = (await kehu.workflows.deployment(processKey, latest.version)).xml;
          setName(latest.name ?? "");
          setEntity(latest.entity ?? "");
          setBaseVersion(latest.version);
        }
      }
      await m.importXML(xml);
      m.get<Canvas>("canvas").zoom("fit-viewport", "auto");
      setModeler(m);
    };
    open().catch(setError);
    return () => m.destroy();
  }, [processKey]);

  const select = (id: string) => {
    if (!modeler) return;
    const element = modeler.get<ElementRegistry>("elementRegistry").get(id);
    if (!element) return;
    modeler.get<Selection>("selection").select(element);
    modeler.get<Canvas>("canvas").scrollToElement(element);
  };

  const deploy = async () => {
    if (!modeler) return;
    setBusy(true);
    setProblems([]);
    setError(null);
    setDeployedVersion(null);
    try {
      const { xml } = await modeler.saveXML({ format: true });
      const deployed = await kehu.workflows.deploy({
        key,
        xml: xml ?? "",
        name: name.trim() || undefined,
        entity: entity || undefined,
      });
      setDeployedVersion(deployed.version);
      setBaseVersion(deployed.version);
      // A new process keeps its key from now on; the address names it without reloading the modeler.
      setKeyFixed(true);
      window.history.replaceState(null, "", routeHref("workflows", key, "model"));
    } catch (e) {
      if (e instanceof KehuApiError && e.issues.length) setProblems(e.issues);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    if (!modeler) return;
    const { xml } = await modeler.saveXML({ format: true });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([xml ?? ""], { type: "application/xml" }));
    link.download = `${key || "process"}.bpmn`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const openFile = async (file: File | undefined) => {
    if (!modeler || !file) return;
    try {
      await modeler.importXML(await file.text());
      modeler.get<Canvas>("canvas").zoom("fit-viewport", "auto");
      setSelected(null);
      setProblems([]);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="workflow-modeler">
      <div className="page-head">
        <h1>{processKey ? t("workflows.modeler.title", { key: processKey }) : t("workflows.modeler.titleNew")}</h1>
        <a href={routeHref("workflows")}>{t("workflows.backToList")}</a>
      </div>
      <div className="modeler-toolbar">
        <label>
          {t("workflows.modeler.key")}
          <input
            name="process-key"
            value={key}
            disabled={keyFixed}
            onChange={(e) => setKey(e.target.value.trim())}
            placeholder="quote_approval"
          />
        </label>
        <label>
          {t("workflows.modeler.name")}
          <input name="process-name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t("workflows.modeler.entity")}
          <select name="process-entity" value={entity} onChange={(e) => setEntity(e.target.value)}>
            <option value="">{t("workflows.modeler.noEntity")}</option>
            {entities.map((en) => (
              <option key={en.name} value={en.name}>
                {entityLabel(en, i18n.language)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          disabled={!modeler || busy || !KEY.test(key)}
          onClick={deploy}
          data-testid="deploy"
        >
          {t("workflows.modeler.deploy")}
        </button>
        <button type="button" disabled={!modeler} onClick={download}>
          {t("workflows.modeler.download")}
        </button>
        <label className="file-button">
          {t("workflows.modeler.open")}
          <input
            type="file"
            name="bpmn-file"
            accept=".bpmn,.xml"
            onChange={(e) => void openFile(e.target.files?.[0])}
          />
        </label>
      </div>
      {baseVersion !== null && deployedVersion === null && (
        <p className="muted">{t("workflows.modeler.editingVersion", { version: baseVersion })}</p>
      )}
      {deployedVersion !== null && (
        <div className="notice" role="status" data-testid="deployed">
          {t("workflows.modeler.deployed", { version: deployedVersion })}
        </div>
      )}
      <ErrorBanner error={error} />
      {problems.length > 0 && (
        <div className="error-banner" role="alert" data-testid="deploy-problems">
          <strong>{t("workflows.modeler.problems")}</strong>
          <ul>
            {problems.map((p) => {
              const id = elementOf(p);
              return (
                <li key={`${p.path}:${p.message}`}>
                  {id ? (
                    <button type="button" className="link" data-element={id} onClick={() => select(id)}>
                      {id}
                    </button>
                  ) : (
                    <code>{p.path}</code>
                  )}{" "}
                  {p.message}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <div className="modeler-body">
        <div className="bpmn-canvas" ref={canvasRef} data-testid="bpmn-canvas">
          {!modeler && <p className="muted">{t("workflows.modeler.loading")}</p>}
        </div>
        {modeler && (
          <PropertiesPanel
            key={selected?.id ?? "none"}
            element={selected}
            modeling={modeler.get<Modeling>("modeling")}
            moddle={modeler.get<Moddle>("moddle")}
            services={services}
          />
        )}
      </div>
    </section>
  );
}
