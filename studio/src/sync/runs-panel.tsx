import type { SyncRun } from "@kehu/client";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";
import { RunLedgerPanel } from "./run-ledger-panel";

const REFRESH_MS = 10_000;
const COUNTS = ["read", "created", "updated", "unchanged", "failed", "conflicts", "skipped"] as const;

/**
 * A connection's runs, newest first, each with its streams; running ones follow their server-sent progress live.
 * "Run now" starts one; "Records" opens what a run did with each record (the ledger); "Replay" runs a finished run's
 * streams again from the checkpoints it started at (after a mapping fix, say).
 */
export function RunsPanel({ connection, onRunEnded }: { connection: string; onRunEnded: () => void }) {
  const { t, i18n } = useTranslation();
  const [runs, setRuns] = useState<SyncRun[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const followed = useRef(new Map<string, () => void>());
  const ended = useRef(onRunEnded);
  ended.current = onRunEnded;

  const follow = useCallback((run: SyncRun) => {
    if (run.status !== "running" || followed.current.has(run.id)) return;
    const put = (next: SyncRun) => setRuns((all) => all.map((r) => (r.id === next.id ? { ...r, ...next } : r)));
    const { stop, done } = kehu.sync.runs.follow(run.id, (next, last) => {
      put(next);
      if (last) ended.current();
    });
    followed.current.set(run.id, stop);
    done.catch((e) => setError(e)).finally(() => followed.current.delete(run.id));
  }, []);

  useEffect(() => {
    const load = () =>
      kehu.sync.runs.list({ connection, limit: 20 }).then(
        (list) => {
          setRuns(list);
          for (const r of list) follow(r);
        },
        (e) => setError(e),
      );
    void load();
    // Runs started elsewhere (a schedule, another admin) show up too.
    const timer = setInterval(load, REFRESH_MS);
    const running = followed.current;
    return () => {
      clearInterval(timer);
      for (const stop of running.values()) stop();
      running.clear();
    };
  }, [connection, follow]);

  const cancel = async (id: string) => {
    setError(null);
    try {
      await kehu.sync.runs.cancel(id);
    } catch (e) {
      setError(e);
    }
  };

  const runNow = (replayOf?: string) => async () => {
    setError(null);
    try {
      const run = replayOf ? await kehu.sync.runs.replay(replayOf) : await kehu.sync.runs.start({ connection });
      setRuns((all) => [run, ...all.filter((r) => r.id !== run.id)]);
      follow(run);
    } catch (e) {
      setError(e);
    }
  };
  const openedRun = runs.find((r) => r.id === opened);
  const when = (at: string | null) => (at ? new Date(at).toLocaleString(i18n.language) : "—");
  return (
    <section data-testid="sync-runs">
      <div className="toolbar">
        <h3>{t("sync.runs")}</h3>
        <button type="button" className="primary" onClick={runNow()}>
          {t("sync.runNow")}
        </button>
      </div>
      <ErrorBanner error={error} />
      {runs.length === 0 && !error && <p className="muted">{t("sync.noRuns")}</p>}
      {runs.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>{t("sync.started")}</th>
              <th>{t("sync.status")}</th>
              <th>{t("sync.progress")}</th>
              {COUNTS.map((c) => (
                <th key={c} className="num">
                  {t(`sync.counts.${c}`)}
                </th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-run={r.id} data-status={r.status}>
                <td>
                  {when(r.startedAt)}
                  <div className="muted">
                    {t(`sync.modes.${r.mode}`, { defaultValue: r.mode })} · {r.startedBy ?? r.trigger}
                  </div>
                  <div className="muted" data-streams>
                    {r.streams.join(", ")}
                  </div>
                </td>
                <td>
                  <span className="badge">{t(`sync.statuses.${r.status}`, { defaultValue: r.status })}</span>
                  {r.error && <div className="muted">{r.error}</div>}
                  {r.status === "running" && (
                    <button type="button" onClick={() => cancel(r.id)}>
                      {t("sync.cancel")}
                    </button>
                  )}
                </td>
                <td>
                  {r.status === "running" && r.progress
                    ? t("sync.atPage", {
                        stream: r.progress.stream,
                        direction: t(`sync.directions.${r.progress.direction}`),
                        page: r.progress.page,
                      })
                    : t("sync.pages", { count: r.pages })}
                </td>
                {COUNTS.map((c) => (
                  <td key={c} className="num" data-count={c}>
                    {r[c]}
                  </td>
                ))}
                <td className="actions">
                  <button type="button" aria-pressed={opened === r.id} onClick={() => setOpened(r.id)}>
                    {t("sync.ledger.open")}
                  </button>
                  {r.status !== "running" && (
                    <button type="button" title={t("sync.replayHint")} onClick={runNow(r.id)}>
                      {t("sync.replay")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {openedRun && <RunLedgerPanel key={openedRun.id} run={openedRun} onClose={() => setOpened(null)} />}
    </section>
  );
}
