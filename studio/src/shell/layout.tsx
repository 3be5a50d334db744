import type { KehuUser } from "@kehu/client";
import type { EntityDefinition } from "@kehu/schema";
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { HomePage } from "../data/home-page";
import { ListPage } from "../data/list-page";
import { RecordPage } from "../data/record-page";
import type { Locale } from "../i18n/i18n";
import { NotificationBell } from "../inbox/notification-bell";
import { useInboxCounts } from "../inbox/use-inbox-counts";
import { routeHref, useRoute } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel } from "../lib/labels";
import { EntitiesContext } from "./entities-context";
import { ErrorBanner } from "./error-banner";
import { LocaleSwitch } from "./locale-switch";

// The designer (and later bpmn-js and charts) load on first use, keeping the data pages' first load small.
const DesignerPage = lazy(() => import("../designer/designer-page").then((m) => ({ default: m.DesignerPage })));
const AdminPage = lazy(() => import("../admin/admin-page").then((m) => ({ default: m.AdminPage })));
const PrintPage = lazy(() => import("../print/print-page").then((m) => ({ default: m.PrintPage })));
const InboxPage = lazy(() => import("../inbox/inbox-page").then((m) => ({ default: m.InboxPage })));
const SyncPage = lazy(() => import("../sync/sync-page").then((m) => ({ default: m.SyncPage })));
const DashboardsPage = lazy(() => import("../dashboards/dashboards-page").then((m) => ({ default: m.DashboardsPage })));
const ReportBuilderPage = lazy(() =>
  import("../dashboards/report-builder-page").then((m) => ({ default: m.ReportBuilderPage })),
);
const WorkflowsPage = lazy(() => import("../workflows/workflows-page").then((m) => ({ default: m.WorkflowsPage })));
const FormDesignerPage = lazy(() =>
  import("../forms/form-designer-page").then((m) => ({ default: m.FormDesignerPage })),
);

export function Layout(props: { user: KehuUser; locale: Locale; onLocale: (l: Locale) => void; onLogout: () => void }) {
  const { t, i18n } = useTranslation();
  const route = useRoute();
  const [entities, setEntities] = useState<EntityDefinition[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const refresh = useCallback(async () => {
    try {
      setEntities(await kehu.entities.list());
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoaded(true);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const context = useMemo(() => ({ entities, loaded, refresh }), [entities, loaded, refresh]);
  const [area, entity, id] = route;
  const counts = useInboxCounts(route.join("/"));

  // The print view has no navigation chrome.
  if (area === "print" && entity && id)
    return (
      <EntitiesContext.Provider value={context}>
        <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
          <PrintPage entityName={entity} id={id} />
        </Suspense>
      </EntitiesContext.Provider>
    );

  return (
    <EntitiesContext.Provider value={context}>
      <div className="shell">
        <header className="topbar">
          <a className="brand" href={routeHref()}>
            {t("app.name")}
          </a>
          <nav className="topnav">
            <a
              href={routeHref("data")}
              className={
                !["designer", "admin", "forms", "inbox", "sync", "dashboards", "reports", "workflows"].includes(
                  area ?? "",
                )
                  ? "active"
                  : ""
              }
            >
              {t("nav.data")}
            </a>
            <a href={routeHref("inbox")} className={area === "inbox" ? "active" : ""} data-testid="nav-inbox">
              {t("nav.inbox")}
              {counts && counts.mine + counts.claimable > 0 && (
                <span className="badge" title={t("nav.inboxCounts", counts)}>
                  {counts.mine}/{counts.claimable}
                </span>
              )}
            </a>
            <a
              href={routeHref("dashboards")}
              className={area === "dashboards" || area === "reports" ? "active" : ""}
              data-testid="nav-dashboards"
            >
              {t("nav.dashboards")}
            </a>
            {props.user.isAdmin && (
              <a href={routeHref("designer")} className={area === "designer" ? "active" : ""}>
                {t("nav.designer")}
              </a>
            )}
            {props.user.isAdmin && (
              <a href={routeHref("admin")} className={area === "admin" ? "active" : ""}>
                {t("nav.admin")}
              </a>
            )}
            {props.user.isAdmin && (
              <a href={routeHref("forms")} className={area === "forms" ? "active" : ""}>
                {t("nav.forms")}
              </a>
            )}
            {props.user.isAdmin && (
              <a
                href={routeHref("workflows")}
                className={area === "workflows" ? "active" : ""}
                data-testid="nav-workflows"
              >
                {t("nav.workflows")}
              </a>
            )}
            {props.user.isAdmin && (
              <a href={routeHref("sync")} className={area === "sync" ? "active" : ""}>
                {t("nav.sync")}
              </a>
            )}
          </nav>
          <div className="spacer" />
          <NotificationBell routeKey={route.join("/")} />
          <LocaleSwitch locale={props.locale} onLocale={props.onLocale} />
          <span className="user" title={props.user.login}>
            {props.user.displayName || props.user.login}
          </span>
          <button type="button" onClick={props.onLogout}>
            {t("nav.logout")}
          </button>
        </header>
        <div className="body">
          <aside className="sidebar">
            <h2>{t("nav.entities")}</h2>
            <ul>
              {entities.map((e) => (
                <li key={e.name}>
                  <a
                    href={routeHref(area === "designer" || area === "forms" ? area : "data", e.name)}
                    className={entity === e.name ? "active" : ""}
                  >
                    {entityLabel(e, i18n.language)}
                  </a>
                </li>
              ))}
            </ul>
            {entities.length === 0 && <p className="muted">{t("nav.noEntities")}</p>}
          </aside>
          <main className="content">
            <ErrorBanner error={error} />
            {area === "inbox" ? (
              <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
                <InboxPage taskId={entity} login={props.user.login} isAdmin={props.user.isAdmin} />
              </Suspense>
            ) : area === "dashboards" ? (
              <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
                <DashboardsPage dashboardKey={entity} isAdmin={props.user.isAdmin} />
              </Suspense>
            ) : area === "reports" && props.user.isAdmin ? (
              <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
                <ReportBuilderPage key={id ?? ""} reportKey={id} />
              </Suspense>
            ) : area === "workflows" ? (
              <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
                <WorkflowsPage route={route.slice(1)} isAdmin={props.user.isAdmin} login={props.user.login} />
              </Suspense>
            ) : area === "sync" ? (
              <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
                <SyncPage name={entity} isAdmin={props.user.isAdmin} />
              </Suspense>
            ) : area === "admin" ? (
              <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
                <AdminPage section={entity} isAdmin={props.user.isAdmin} />
              </Suspense>
            ) : area === "designer" && props.user.isAdmin ? (
              <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
                <DesignerPage name={entity} />
              </Suspense>
            ) : area === "forms" && props.user.isAdmin ? (
              <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
                {entity ? <FormDesignerPage key={entity} entityName={entity} /> : <p>{t("forms.pickEntity")}</p>}
              </Suspense>
            ) : entity && id ? (
              <RecordPage
                key={`${entity}/${id}`}
                entityName={entity}
                id={id === "new" ? undefined : id}
                isAdmin={props.user.isAdmin}
              />
            ) : entity ? (
              <ListPage key={entity} entityName={entity} />
            ) : (
              <HomePage isAdmin={props.user.isAdmin} />
            )}
          </main>
        </div>
      </div>
    </EntitiesContext.Provider>
  );
}
