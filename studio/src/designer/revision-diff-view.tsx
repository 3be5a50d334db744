import type { RevisionEntry } from "@kehu/client";
import type { FieldDefinition } from "@kehu/schema";
import { useTranslation } from "react-i18next";
import { fieldLabel } from "../lib/labels";

const shown = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** What one revision changed: fields added, dropped, renamed, options changed (before → after), entity options. */
export function RevisionDiffView({ revision }: { revision: RevisionEntry }) {
  const { t, i18n } = useTranslation();
  const { diff } = revision;
  const field = (name: string, def: RevisionEntry["before"]) => {
    const f = def?.fields.find((x) => x.name === name) as FieldDefinition | undefined;
    return f ? `${fieldLabel(f, i18n.language)} (${f.name}, ${t(`types.${f.type}`, { defaultValue: f.type })})` : name;
  };
  const empty =
    !diff.added.length && !diff.dropped.length && !diff.renamed.length && !diff.changed.length && !diff.entity.length;
  return (
    <div className="revision-diff" data-testid="revision-diff">
      {revision.before === null && <p>{t("revisions.created")}</p>}
      {revision.after === null && <p className="dropped">{t("revisions.deleted")}</p>}
      {empty && revision.before && revision.after && <p className="muted">{t("revisions.noChanges")}</p>}
      <ul>
        {diff.added.map((name) => (
          <li key={`+${name}`} className="added">
            + {t("revisions.added")}: {field(name, revision.after)}
          </li>
        ))}
        {diff.dropped.map((name) => (
          <li key={`-${name}`} className="dropped">
            − {t("revisions.dropped")}: {field(name, revision.before)}
          </li>
        ))}
        {diff.renamed.map((r) => (
          <li key={`~${r.from}`}>
            {t("revisions.renamed")}: <span className="before">{r.from}</span> → {r.to}
          </li>
        ))}
        {diff.changed.map((c) => (
          <li key={`*${c.field}`}>
            {t("revisions.changed")}: {field(c.field, revision.after)}
            <ul>
              {c.options.map((o) => (
                <li key={o.key}>
                  <code>{o.key}</code>: <span className="before">{shown(o.before)}</span> → {shown(o.after)}
                </li>
              ))}
            </ul>
          </li>
        ))}
        {diff.entity.map((o) => (
          <li key={`e${o.key}`}>
            {t("revisions.entityOption")} <code>{o.key}</code>: <span className="before">{shown(o.before)}</span> →{" "}
            {shown(o.after)}
          </li>
        ))}
      </ul>
    </div>
  );
}
