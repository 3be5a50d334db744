import type { ExplainDecision, ExplainStep, Explanation } from "@kehu/client";
import { useTranslation } from "react-i18next";
import { entityLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";

/** A step in the user's language: which rule, which role and scope, and whether this record matched it. */
function StepRow({ step }: { step: ExplainStep }) {
  const { t } = useTranslation();
  return (
    <li className={step.matches ? "step-match" : "step-miss"} data-rule={step.rule}>
      <strong>{t(`admin.explain.rules.${step.rule}`)}</strong>
      {step.role && <> · {t("admin.explain.role", { role: step.role })}</>}
      {step.scope && <> · {t(`admin.scopes.${step.scope}`)}</>}
      {step.field && <> · {t("admin.explain.field", { field: step.field })}</>}
      {" · "}
      {step.matches ? t("admin.explain.matches") : t("admin.explain.noMatch")}
      <div className="muted">{step.detail}</div>
    </li>
  );
}

function DecisionBlock({ action, decision }: { action: "read" | "update"; decision: ExplainDecision }) {
  const { t } = useTranslation();
  return (
    <div className={`decision ${decision.allowed ? "allowed" : "denied"}`} data-testid={`explain-${action}`}>
      <h3>
        {t(`admin.explain.${action}`)}: {decision.allowed ? t("admin.explain.allowed") : t("admin.explain.denied")}
      </h3>
      <ol>
        {decision.chain.map((s) => (
          <StepRow key={`${s.rule}:${s.role ?? ""}:${s.scope ?? ""}:${s.detail}`} step={s} />
        ))}
      </ol>
    </div>
  );
}

/** The explainer's answer: can the user read, can they update, and the chain of rules behind each. */
export function ExplainResult({ explanation }: { explanation: Explanation }) {
  const { t, i18n } = useTranslation();
  const entity = useEntities().entities.find((e) => e.name === explanation.entity);
  return (
    <section className="explain-result" data-testid="explain-result">
      <p>
        {t("admin.explain.summary", {
          login: explanation.user.login,
          entity: entity ? entityLabel(entity, i18n.language) : explanation.entity,
          id: explanation.id,
        })}
      </p>
      <DecisionBlock action="read" decision={explanation.read} />
      <DecisionBlock action="update" decision={explanation.update} />
    </section>
  );
}
