import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { DepartmentsPanel } from "./departments-panel";
import { ExplainPanel } from "./explain-panel";
import { OwnershipPanel } from "./ownership-panel";
import { RolesPanel } from "./roles-panel";
import { TokensPanel } from "./tokens-panel";
import { UsersPanel } from "./users-panel";
import "./admin.css";

const SECTIONS = ["users", "departments", "roles", "explain", "ownership", "tokens"] as const;
type Section = (typeof SECTIONS)[number];

/** The admin area (`#/admin/<section>`); non-admins get a readable "not allowed" page. */
export function AdminPage({ section, isAdmin }: { section?: string; isAdmin: boolean }) {
  const { t } = useTranslation();
  if (!isAdmin)
    return (
      <section className="forbidden" data-testid="admin-forbidden">
        <h1>{t("admin.forbiddenTitle")}</h1>
        <p>{t("admin.forbidden")}</p>
        <a href={routeHref()}>{t("admin.backHome")}</a>
      </section>
    );
  const current: Section = (SECTIONS as readonly string[]).includes(section ?? "") ? (section as Section) : "users";
  return (
    <section>
      <div className="page-head">
        <h1>{t("admin.title")}</h1>
      </div>
      <div className="tabs" role="tablist">
        {SECTIONS.map((s) => (
          <a key={s} role="tab" href={routeHref("admin", s)} className={s === current ? "active" : ""}>
            {t(`admin.sections.${s}`)}
          </a>
        ))}
      </div>
      {current === "users" && <UsersPanel />}
      {current === "departments" && <DepartmentsPanel />}
      {current === "roles" && <RolesPanel />}
      {current === "explain" && <ExplainPanel />}
      {current === "ownership" && <OwnershipPanel />}
      {current === "tokens" && <TokensPanel />}
    </section>
  );
}
