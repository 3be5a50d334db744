import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";

type Revision = { id: number; actor: string; at: string; action: string; summary: string[] };

/** The recorded changes of an entity, newest first. */
export function RevisionList({ name, version }: { name: string; version: number }) {
  const { t, i18n } = useTranslation();
  const [revisions, setRevisions] = useState<Revision[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the entity's revision changes
  useEffect(() => {
    kehu.entities.revisions(name).then(
      (r) => setRevisions(r.data),
      () => setRevisions([]),
    );
  }, [name, version]);
  return (
    <section className="revisions">
      <h3>{t("designer.revisions")}</h3>
      <ol>
        {revisions.map((r) => (
          <li key={r.id}>
            <div>
              <strong>#{r.id}</strong> {r.actor} · {new Date(r.at).toLocaleString(i18n.language)}
            </div>
            <ul className="muted">
              {r.summary.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
