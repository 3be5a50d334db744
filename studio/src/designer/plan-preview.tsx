import type { MigrationPlanView } from "@kehu/client";
import { useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * The migration plan the server would run, step by step; destructive steps stand out and must be confirmed
 * before "Apply" is enabled.
 */
export function PlanPreview(props: { plan: MigrationPlanView; busy: boolean; onApply: (confirm: boolean) => void }) {
  const { t } = useTranslation();
  const [confirmed, setConfirmed] = useState(false);
  const { plan } = props;
  return (
    <section className="plan-preview" data-testid="plan-preview">
      <h3>{t("plan.title")}</h3>
      {plan.steps.length === 0 ? (
        <p className="muted">{t("plan.noChanges")}</p>
      ) : (
        <ol>
          {plan.steps.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are an ordered list
            <li key={i} className={s.destructive ? "destructive" : ""} data-destructive={s.destructive}>
              <span className="step-kind">{t(`plan.kinds.${s.kind}`, { defaultValue: s.kind })}</span> {s.description}
              {s.destructive && <strong className="badge danger">{t("plan.destructive")}</strong>}
            </li>
          ))}
        </ol>
      )}
      {plan.impact && plan.impact.length > 0 && (
        <>
          <h4>{t("plan.impact")}</h4>
          <ul>
            {plan.impact.map((i) => (
              <li key={`${i.kind}:${i.name}`}>
                <strong>{i.kind}</strong> {i.name} {i.detail && <span className="muted">{i.detail}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.destructive && (
        <label className="inline confirm">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
          {t("plan.confirm")}
        </label>
      )}
      <button
        type="button"
        className="primary"
        disabled={props.busy || plan.steps.length === 0 || (plan.destructive && !confirmed)}
        onClick={() => props.onApply(plan.destructive)}
      >
        {t("plan.apply")}
      </button>
    </section>
  );
}
