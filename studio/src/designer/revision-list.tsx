import type { MigrationPlanView, RevertResult, RevisionEntry } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { PlanPreview } from "./plan-preview";
import { RevisionDiffView } from "./revision-diff-view";

/**
 * The recorded changes of an entity, newest first: each one's diff on demand, and a one-click revert that first shows
 * the server's plan of the inverse change (a dry run), destructive steps to confirm, before it is applied.
 */
export function RevisionList(props: { name: string; version: number; onReverted: () => void }) {
  const { t, i18n } = useTranslation();
  const { refresh } = useEntities();
  const [revisions, setRevisions] = useState<RevisionEntry[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const [preview, setPreview] = useState<{ id: number; result: RevertResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the entity's revision changes
  useEffect(() => {
    kehu.entities.revisions(props.name).then(
      (r) => setRevisions(r.data),
      () => setRevisions([]),
    );
  }, [props.name, props.version]);

  const planRevert = async (id: number) => {
    setError(null);
    setPreview(null);
    setBusy(true);
    try {
      setPreview({ id, result: await kehu.entities.revert(id, { dryRun: true }) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const applyRevert = async (confirm: boolean) => {
    if (!preview) return;
    setBusy(true);
    try {
      await kehu.entities.revert(preview.id, { confirm });
      setPreview(null);
      await refresh();
      props.onReverted();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const planOf = (r: RevertResult): MigrationPlanView => ({
    ...r.plan,
    impact: r.impact.map((i) => ({ kind: i.kind, name: i.key, detail: i.message })),
  });

  return (
    <section className="revisions" data-testid="revisions">
      <h3>{t("designer.revisions")}</h3>
      <ErrorBanner error={error} />
      <ol>
        {revisions.map((r) => (
          <li key={r.id} data-testid={`revision-${r.id}`}>
            <div>
              <strong>#{r.id}</strong> {r.actor} · {new Date(r.at).toLocaleString(i18n.language)}
              {r.reverts !== null && <span className="muted"> · {t("revisions.reverts", { id: r.reverts })}</span>}{" "}
              <button type="button" className="link" onClick={() => setOpen(open === r.id ? null : r.id)}>
                {open === r.id ? t("revisions.hideChanges") : t("revisions.showChanges")}
              </button>{" "}
              <button type="button" className="link" disabled={busy} onClick={() => planRevert(r.id)}>
                {t("revisions.revert")}
              </button>
            </div>
            {open === r.id ? (
              <RevisionDiffView revision={r} />
            ) : (
              <ul className="muted">
                {r.summary.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            )}
            {preview?.id === r.id && (
              <div className="revert-preview" data-testid="revert-preview">
                <h4>{t("revisions.revertPlan", { id: r.id })}</h4>
                <PlanPreview plan={planOf(preview.result)} busy={busy} onApply={applyRevert} />
                <button type="button" onClick={() => setPreview(null)}>
                  {t("revisions.cancel")}
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
