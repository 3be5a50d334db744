import type { SyncLedgerQuery, SyncRun } from "@kehu/client";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorBanner } from "../shell/error-banner";
import { externalKeyText } from "./external-key-text";
import { useLedger } from "./use-ledger";

const OUTCOMES = ["created", "updated", "unchanged", "failed", "conflict", "skipped"] as const;

/**
 * What one run did with each record (the sync ledger), newest first: the external key, the CRM record it landed on
 * (a link), the outcome and why it failed or was skipped; filtered by outcome, paged with "More".
 */
export function RunLedgerPanel({ run, onClose }: { run: SyncRun; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [outcome, setOutcome] = useState<SyncLedgerQuery["outcome"]>();
  const { entries, hasMore, more, loading, error } = useLedger({ run: run.id, outcome });

  const when = new Date(run.startedAt).toLocaleString(i18n.language);
  return (
    <section data-testid="sync-run-ledger" data-run={run.id}>
      <div className="toolbar">
        <h3>{t("sync.ledger.title", { when, streams: run.streams.join(", ") })}</h3>
        <label>
          {t("sync.ledger.outcome")}{" "}
          <select
            value={outcome ?? ""}
            onChange={(e) => setOutcome((e.target.value || undefined) as SyncLedgerQuery["outcome"])}
          >
            <option value="">{t("sync.ledger.all")}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`sync.ledger.outcomes.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={onClose}>
          {t("sync.ledger.close")}
        </button>
      </div>
      <ErrorBanner error={error} />
      {entries.length === 0 && !error && !loading && <p className="muted">{t("sync.ledger.empty")}</p>}
      {run.unchanged > 0 && (outcome === undefined || outcome === "unchanged") && (
        <p className="muted" data-testid="unchanged-not-itemised">
          {t("sync.ledger.unchangedNotItemised", { count: run.unchanged })}
        </p>
      )}
      {entries.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>{t("sync.ledger.externalKey")}</th>
              <th>{t("sync.ledger.crmRecord")}</th>
              <th>{t("sync.ledger.outcome")}</th>
              <th>{t("sync.ledger.message")}</th>
              <th>{t("sync.ledger.at")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-entry={e.externalKey ?? e.recordId ?? e.id} data-outcome={e.outcome}>
                <td>
                  <code>{externalKeyText(e.externalKey)}</code>
                  <div className="muted">
                    {e.stream} · {t(`sync.directions.${e.direction}`)}
                  </div>
                </td>
                <td>{e.recordId ? <a href={`#/data/${e.entity}/${e.recordId}`}>{e.entity}</a> : "—"}</td>
                <td>
                  <span className={`badge outcome-${e.outcome}`}>{t(`sync.ledger.outcomes.${e.outcome}`)}</span>
                </td>
                <td>{e.message ?? ""}</td>
                <td className="muted">{new Date(e.at).toLocaleTimeString(i18n.language)}</td>
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
    </section>
  );
}
