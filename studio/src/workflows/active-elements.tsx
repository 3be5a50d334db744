import { useTranslation } from "react-i18next";

/** The steps of an instance holding a token now, by the designer's names, or "none". */
export function ActiveElements({ active, names }: { active: string[]; names: Map<string, string> }) {
  const { t } = useTranslation();
  return (
    <p>
      {t("workflow.current")}:{" "}
      {active.length ? (
        active.map((a) => (
          <span key={a} className="badge" data-element={a}>
            {names.get(a) ?? a}
          </span>
        ))
      ) : (
        <span className="muted">{t("workflow.none")}</span>
      )}
    </p>
  );
}
