import type { SyncLedgerQuery, SyncRun } from "@kehu/client";
import { SYNC_LEDGER_OUTCOMES } from "@kehu/schema";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LedgerTable } from "./ledger-table";
import { useLedger } from "./use-ledger";

/**
 * What one run did with each record (the sync ledger), newest first: the external key, the CRM record it landed on
 * (a link), the outcome and why it failed or was skipped; filtered by outcome, paged with "More".
 */
export function RunLedgerPanel({ run, onClose }: { run: SyncRun; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [outcome, setOutcome] = useState<SyncLedgerQuery["outcome"]>();
  const ledger = useLedger({ run: run.id, outcome });

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
            {SYNC_LEDGER_OUTCOMES.map((o) => (
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
      {run.unchanged > 0 && (outcome === undefined || outcome === "unchanged") && (
        <p className="muted" data-testid="unchanged-not-itemised">
          {t("sync.ledger.unchangedNotItemised", { count: run.unchanged })}
        </p>
      )}
      <LedgerTable ledger={ledger} of="run" empty={t("sync.ledger.empty")} />
    </section>
  );
}
