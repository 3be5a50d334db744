import NavigatedViewer from "bpmn-js/lib/NavigatedViewer";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Canvas, ElementRegistry } from "./bpmn-types";
import "bpmn-js/dist/assets/diagram-js.css";
import "bpmn-js/dist/assets/bpmn-js.css";

/** A deployed process drawn read-only, with the elements holding a token and the completed ones marked. */
export function InstanceDiagram({ xml, active, done }: { xml: string; active: string[]; done: string[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let viewer: NavigatedViewer;
    try {
      viewer = new NavigatedViewer({ container: ref.current! });
    } catch {
      // A browser that cannot draw SVG: the steps are still listed below the diagram.
      setFailed(true);
      return;
    }
    viewer.importXML(xml).then(
      () => {
        const canvas = viewer.get<Canvas>("canvas");
        const registry = viewer.get<ElementRegistry>("elementRegistry");
        canvas.zoom("fit-viewport", "auto");
        for (const id of done) if (registry.get(id)) canvas.addMarker(id, "kehu-done");
        for (const id of active) if (registry.get(id)) canvas.addMarker(id, "kehu-active");
      },
      () => setFailed(true),
    );
    return () => viewer.destroy();
  }, [xml, active, done]);
  return (
    <div className="instance-diagram">
      {failed && <p className="muted">{t("workflows.instance.noDiagram")}</p>}
      <div className="bpmn-canvas viewer" ref={ref} data-testid="instance-diagram" hidden={failed} />
      {!failed && (
        <p className="legend muted">
          <span className="swatch active" /> {t("workflows.instance.legendActive")} <span className="swatch done" />{" "}
          {t("workflows.instance.legendDone")}
        </p>
      )}
    </div>
  );
}
