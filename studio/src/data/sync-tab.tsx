import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { ErrorBanner } from "../shell/error-banner";
import { externalKeyText } from "../sync/external-key-text";
import { useLedger } from "../sync/use-ledger";

/**
 * A record's passages through the sync runs (administrators): newest first, which connection and stream, pulled or
 * pushed, under which external key, with the outcome and why it failed; each links to its connection's monitor.
 */
export function SyncTab({ entityName, id }: { entityName: string; id: string }) {
  const { t, i18n } = useTranslation();
  const { entries, hasMore, more, loading, error } = useLedger({ entity: entityName, record: id });
  return (
    <div data-testid="record-sync">
      <ErrorBanner error={error} />
      {entries.length === 0 && !error && !loading && <p className="muted">{t("sync.ledger.noneForRecord")}</p>}
      {entries.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>{t("sync.ledger.at")}</th>
              <th>{t("sync.connections")}</th>
              <th>{t("sync.ledger.externalKey")}</th>
              <th>{t("sync.ledger.outcome")}</th>
              <th>{t("sync.ledger.message")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-outcome={e.outcome}>
                <td>{new Date(e.at).toLocaleString(i18n.language)}</td>
                <td>
                  <a href={routeHref("sync", e.connection)}>{e.connection}</a>
                  <div className="muted">
                    {e.stream} · {t(`sync.directions.${e.direction}`)}
                  </div>
                </td>
                <td>
                  <code>{externalKeyText(e.externalKey)}</code>
                </td>
                <td>
                  <span className="badge">{t(`sync.ledger.outcomes.${e.outcome}`)}</span>
                </td>
                <td>{e.message ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore && (
        <button type="button" onClick={more} disabled={loading}>
          {t("sync.ledger.more")}
        </button>
      )}
    </div>
  );
}
