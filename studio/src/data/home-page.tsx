import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { entityLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";

/** The start page: every entity as a card, or where to begin when there is none. */
export function HomePage({ isAdmin }: { isAdmin: boolean }) {
  const { t, i18n } = useTranslation();
  const { entities } = useEntities();
  return (
    <section>
      <h1>{t("home.title")}</h1>
      {entities.length === 0 ? (
        <p className="muted">{isAdmin ? t("home.emptyAdmin") : t("home.empty")}</p>
      ) : (
        <div className="cards">
          {entities.map((e) => (
            <a key={e.name} className="card" href={routeHref("data", e.name)}>
              <strong>{entityLabel(e, i18n.language)}</strong>
              <span className="muted">{t("home.fieldCount", { count: e.fields.length })}</span>
            </a>
          ))}
        </div>
      )}
    </section>
  );
}
