import type { EntityDefinition } from "@kehu/schema";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { navigate, routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { EntityEditor } from "./entity-editor";
import { RevisionList } from "./revision-list";

export const NEW_ENTITY = "~new";
// The entity just created, so its page (a new mount after navigating) says the change was applied.
let justCreated: string | undefined;

/** The entity designer: the entity list, or one entity's editor with its revision history. */
export function DesignerPage({ name }: { name?: string }) {
  const { t, i18n } = useTranslation();
  const { entities } = useEntities();
  if (!name)
    return (
      <section>
        <div className="page-head">
          <h1>{t("designer.title")}</h1>
          <div className="spacer" />
          <button type="button" className="primary" onClick={() => navigate("designer", NEW_ENTITY)}>
            {t("designer.newEntity")}
          </button>
        </div>
        <table className="grid" data-testid="entity-list">
          <thead>
            <tr>
              <th>{t("designer.entityName")}</th>
              <th>{t("designer.label")}</th>
              <th>{t("designer.fields")}</th>
            </tr>
          </thead>
          <tbody>
            {entities.map((e) => (
              <tr key={e.name}>
                <td>
                  <a href={routeHref("designer", e.name)}>
                    <code>{e.name}</code>
                  </a>
                </td>
                <td>{entityLabel(e, i18n.language)}</td>
                <td>{e.fields.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    );
  if (name === NEW_ENTITY)
    return (
      <section>
        <h1>{t("designer.newEntity")}</h1>
        <EntityEditor
          initial={{ name: "", fields: [{ name: "name", type: "text", required: true }], titleField: "name" }}
          isNew
          onApplied={(n) => {
            justCreated = n;
            navigate("designer", n);
          }}
        />
      </section>
    );
  return <ExistingEntity name={name} />;
}

function ExistingEntity({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const [stored, setStored] = useState<{ definition: EntityDefinition; revision: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload after an apply
  useEffect(() => {
    kehu.entities.get(name).then(setStored, setError);
  }, [name, reload]);
  if (!stored) return error ? <ErrorBanner error={error} /> : <p className="muted">{t("common.loading")}</p>;
  return (
    <section>
      <div className="page-head">
        <a href={routeHref("designer")}>{t("designer.title")}</a>
        <span className="muted">/</span>
        <h1>{entityLabel(stored.definition, i18n.language)}</h1>
        <div className="spacer" />
        <a href={routeHref("data", name)}>{t("designer.openData")}</a>
      </div>
      {(reload > 0 || justCreated === name) && (
        <div className="notice" role="status">
          {t("designer.applied")}
        </div>
      )}
      <EntityEditor
        key={stored.revision}
        initial={stored.definition}
        isNew={false}
        onApplied={() => setReload((n) => n + 1)}
      />
      <RevisionList name={name} version={stored.revision} onReverted={() => setReload((n) => n + 1)} />
    </section>
  );
}
