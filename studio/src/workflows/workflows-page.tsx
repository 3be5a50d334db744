import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { InstanceList } from "./instance-list";
import { InstanceView } from "./instance-view";
import { WorkflowList } from "./workflow-list";
import "./workflows.css";

// bpmn-js is large: the modeler loads only when opened (the instance view lazy-loads its viewer likewise).
const ModelerPage = lazy(() => import("./modeler-page").then((m) => ({ default: m.ModelerPage })));

/**
 * The workflow pages: `#/workflows` (list), `#/workflows/<key>` (instances), `#/workflows/<key>/model` (modeler;
 * `~new` for a new process) and `#/workflows/~instance/<id>`, which non-administrators may open too.
 */
export function WorkflowsPage(props: { route: string[]; isAdmin: boolean; login: string }) {
  const { t } = useTranslation();
  const [first, second] = props.route;
  if (first === "~instance" && second)
    return <InstanceView key={second} id={second} isAdmin={props.isAdmin} login={props.login} />;
  if (!props.isAdmin)
    return (
      <section className="forbidden" data-testid="workflows-forbidden">
        <h1>{t("admin.forbiddenTitle")}</h1>
        <p>{t("workflows.forbidden")}</p>
        <a href={routeHref()}>{t("admin.backHome")}</a>
      </section>
    );
  if (first && second === "model")
    return (
      <Suspense fallback={<p className="muted">{t("workflows.modeler.loading")}</p>}>
        <ModelerPage key={first} processKey={first === "~new" ? undefined : first} />
      </Suspense>
    );
  if (first) return <InstanceList key={first} processKey={first} />;
  return <WorkflowList />;
}
