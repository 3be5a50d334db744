import type { SyncDeadLetter } from "@kehu/client";
import { SYNC_DEAD_LETTER_STATUSES, type SyncDeadLetterStatus } from "@kehu/schema";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";
import { externalKeyText } from "./external-key-text";

/**
 * The records a connection's runs could not sync, with the reason; retry (after a fix) or discard each open one.
 * Closed letters are listed by status: retried, discarded, or replaced by a newer failure of the same record.
 */
export function FailedRecordsPanel({ connection, reloadKey }: { connection: string; reloadKey: number }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<SyncDeadLetterStatus>("open");
  const [letters, setLetters] = useState<SyncDeadLetter[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(
    () =>
      kehu.sync.deadLetters.list({ connection, status }).then(
        (list) => setLetters(list),
        (e) => setError(e),
      ),
    [connection, status],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey changes when a run ends
  useEffect(() => {
    void load();
  }, [load, reloadKey]);
  const act = async (action: () => Promise<string>) => {
    setError(null);
    setNotice(null);
    try {
      const message = await action();
      // The list first: the notice never shows next to the row it says was retried or discarded.
      await load();
      setNotice(message);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section data-testid="sync-failed">
      <div className="toolbar">
        <h3>
          {t("sync.failedRecords")} ({letters.length})
        </h3>
        <label>
          {t("sync.letterStatus")}{" "}
          <select value={status} onChange={(e) => setStatus(e.target.value as SyncDeadLetterStatus)}>
            {SYNC_DEAD_LETTER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`sync.letterStatuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={error} />
      {notice && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      {letters.length === 0 && !error && (
        <p className="muted">{status === "open" ? t("sync.noFailed") : t("sync.noLetters")}</p>
      )}
      {letters.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>{t("sync.record")}</th>
              <th>{t("sync.reason")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {letters.map((d) => (
              <tr key={d.id} data-failed={d.externalKey ?? d.recordId ?? d.id} data-status={d.status}>
                <td>
                  <code>{d.externalKey ? externalKeyText(d.externalKey) : d.recordId}</code>
                  <div className="muted">
                    #{d.id} · {d.stream} · {t(`sync.directions.${d.direction}`)} · {d.mapping}
                  </div>
                </td>
                <td>
                  {d.reason}
                  {d.issues.length > 0 && (
                    <ul>
                      {d.issues.map((i) => (
                        <li key={`${i.path}:${i.message}`}>
                          <code>{i.path}</code> {i.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                {d.status !== "open" ? (
                  <td className="muted">
                    {d.replacedBy !== null
                      ? t("sync.replacedBy", { id: d.replacedBy })
                      : t(`sync.letterStatuses.${d.status}`)}
                    <div>
                      {d.closedBy}
                      {d.closedAt && ` · ${new Date(d.closedAt).toLocaleString(i18n.language)}`}
                    </div>
                  </td>
                ) : (
                  <td className="actions">
                    <button
                      type="button"
                      onClick={() =>
                        act(async () => {
                          const { run } = await kehu.sync.deadLetters.retry(d.id);
                          // A run that stopped (ERP unreachable, login refused) left the record waiting.
                          if (run.status !== "succeeded")
                            return t("sync.retryStopped", { error: run.error ?? run.status });
                          return run.failed ? t("sync.retryFailed") : t("sync.retried");
                        })
                      }
                    >
                      {t("sync.retry")}
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        act(async () => (await kehu.sync.deadLetters.discard(d.id)) && t("sync.discarded"))
                      }
                    >
                      {t("sync.discard")}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
