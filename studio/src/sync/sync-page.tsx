import type { SyncConnection, SyncConnector } from "@kehu/client";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { navigate, routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { labelText } from "../lib/labels";
import { ErrorBanner } from "../shell/error-banner";
import { ConflictsPanel } from "./conflicts-panel";
import { ConnectionForm } from "./connection-form";
import { FailedRecordsPanel } from "./failed-records-panel";
import { RunsPanel } from "./runs-panel";
import "./sync.css";

const NEW = "~new";

/** The sync monitor (`#/sync`, `#/sync/<connection>`): connections, and for one its config, runs, failures, conflicts. */
export function SyncPage({ name, isAdmin }: { name?: string; isAdmin: boolean }) {
  const { t, i18n } = useTranslation();
  const [connectors, setConnectors] = useState<SyncConnector[]>([]);
  const [connections, setConnections] = useState<SyncConnection[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [check, setCheck] = useState<{ ok: boolean; message?: string; streams?: string[] } | undefined>(undefined);
  const [reloadKey, setReloadKey] = useState(0);
  const load = useCallback(
    () =>
      Promise.all([kehu.sync.connectors(), kehu.sync.connections.list()]).then(
        ([cs, list]) => {
          setConnectors(cs);
          setConnections(list);
        },
        (e) => setError(e),
      ),
    [],
  );
  useEffect(() => {
    if (isAdmin) void load();
  }, [load, isAdmin]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a check belongs to the connection it was run on
  useEffect(() => setCheck(undefined), [name]);
  const runEnded = useCallback(() => setReloadKey((k) => k + 1), []);

  if (!isAdmin)
    return (
      <section className="forbidden" data-testid="sync-forbidden">
        <h1>{t("admin.forbiddenTitle")}</h1>
        <p>{t("admin.forbidden")}</p>
        <a href={routeHref()}>{t("admin.backHome")}</a>
      </section>
    );
  const current = connections?.find((c) => c.name === name);
  const connectorOf = (c: SyncConnection) => connectors.find((k) => k.name === c.connector);
  const systemLabel = (c: SyncConnection) => {
    const k = connectorOf(c);
    return k ? labelText(k.label, k.name, i18n.language) : c.connector;
  };
  const runCheck = async (c: SyncConnection) => {
    setCheck(undefined);
    try {
      setCheck(await kehu.sync.connections.check(c.name));
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="sync">
      <div className="page-head">
        <h1>{t("sync.title")}</h1>
      </div>
      <ErrorBanner error={error} />
      <div className="sync-body">
        <div className="sync-connections">
          <h3>{t("sync.connections")}</h3>
          {connections?.length === 0 && <p className="muted">{t("sync.noConnections")}</p>}
          <ul>
            {connections?.map((c) => (
              <li key={c.name} className={c.name === name ? "active" : ""} data-connection={c.name}>
                <a href={routeHref("sync", c.name)}>
                  <strong>{c.label || c.name}</strong>
                  <span className="muted">
                    {systemLabel(c)} · {c.enabled ? t("sync.on") : t("sync.off")}
                    {c.streams
                      ? ` · ${t("sync.streamCount", { count: c.streams.length })}`
                      : ` · ${t("sync.unchecked")}`}
                  </span>
                </a>
              </li>
            ))}
          </ul>
          <a className="button" href={routeHref("sync", NEW)}>
            {t("sync.newConnection")}
          </a>
        </div>
        <div className="sync-detail">
          {name === NEW ? (
            <ConnectionForm
              connectors={connectors}
              onSaved={(c) => {
                void load();
                navigate("sync", c.name);
              }}
            />
          ) : current ? (
            <div key={current.name}>
              <h2>
                {current.label || current.name} <span className="muted">{systemLabel(current)}</span>
              </h2>
              <div className="toolbar">
                <button type="button" onClick={() => runCheck(current)}>
                  {t("sync.check")}
                </button>
                {check && (
                  <span role="status" className={check.ok ? "ok" : "bad"} data-testid="sync-check">
                    {check.ok
                      ? t("sync.checkOk", { streams: (check.streams ?? []).join(", ") })
                      : t("sync.checkFailed", { message: check.message ?? "" })}
                  </span>
                )}
              </div>
              <RunsPanel connection={current.name} onRunEnded={runEnded} />
              <FailedRecordsPanel connection={current.name} reloadKey={reloadKey} />
              <ConflictsPanel connection={current.name} systemLabel={systemLabel(current)} reloadKey={reloadKey} />
              <details className="sync-settings">
                <summary>{t("sync.settings")}</summary>
                <ConnectionForm connectors={connectors} connection={current} onSaved={() => void load()} />
              </details>
            </div>
          ) : (
            <p className="muted">{connections ? t("sync.pick") : t("common.loading")}</p>
          )}
        </div>
      </div>
    </section>
  );
}
