import type { SyncLedgerEntry } from "@kehu/client";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { ErrorBanner } from "../shell/error-banner";
import { externalKeyText } from "./external-key-text";
import type { useLedger } from "./use-ledger";

type Column = "key" | "record" | "connection" | "outcome" | "message" | "time" | "date";

/** A run's rows are about its records; a record's rows are about the runs (connections) that touched it. */
const COLUMNS: Record<"run" | "record", Column[]> = {
  run: ["key", "record", "outcome", "message", "time"],
  record: ["date", "connection", "key", "outcome", "message"],
};

const HEADINGS: Record<Column, string> = {
  key: "sync.ledger.externalKey",
  record: "sync.ledger.crmRecord",
  connection: "sync.connections",
  outcome: "sync.ledger.outcome",
  message: "sync.ledger.message",
  time: "sync.ledger.at",
  date: "sync.ledger.at",
};

/**
 * Ledger rows as a table, newest first, with "More" while there are older ones, the error of the last load, and
 * `empty` when nothing matched: of a run (`of: "run"`) or of one record (`of: "record"`).
 */
export function LedgerTable({
  ledger,
  of,
  empty,
}: {
  ledger: ReturnType<typeof useLedger>;
  of: "run" | "record";
  empty: string;
}) {
  const { t, i18n } = useTranslation();
  const { entries, hasMore, more, loading, error } = ledger;
  const streamLine = (e: SyncLedgerEntry) => (
    <div className="muted">
      {e.stream} · {t(`sync.directions.${e.direction}`)}
    </div>
  );
  const cell: Record<Column, (e: SyncLedgerEntry) => ReactNode> = {
    key: (e) => (
      <>
        <code>{externalKeyText(e.externalKey)}</code>
        {of === "run" && streamLine(e)}
      </>
    ),
    record: (e) => (e.recordId ? <a href={`#/data/${e.entity}/${e.recordId}`}>{e.entity}</a> : "—"),
    connection: (e) => (
      <>
        <a href={routeHref("sync", e.connection)}>{e.connection}</a>
        {streamLine(e)}
      </>
    ),
    outcome: (e) => <span className="badge">{t(`sync.ledger.outcomes.${e.outcome}`)}</span>,
    message: (e) => e.message ?? "",
    time: (e) => <span className="muted">{new Date(e.at).toLocaleTimeString(i18n.language)}</span>,
    date: (e) => new Date(e.at).toLocaleString(i18n.language),
  };
  const columns = COLUMNS[of];
  return (
    <>
      <ErrorBanner error={error} />
      {entries.length === 0 && !error && !loading && <p className="muted">{empty}</p>}
      {entries.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{t(HEADINGS[c])}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-entry={e.externalKey ?? e.recordId ?? e.id} data-outcome={e.outcome}>
                {columns.map((c) => (
                  <td key={c}>{cell[c](e)}</td>
                ))}
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
    </>
  );
}
