import { useTranslation } from "react-i18next";
import { LedgerTable } from "../sync/ledger-table";
import { useLedger } from "../sync/use-ledger";

/**
 * A record's passages through the sync runs (administrators): newest first, which connection and stream, pulled or
 * pushed, under which external key, with the outcome and why it failed; each links to its connection's monitor.
 */
export function SyncTab({ entityName, id }: { entityName: string; id: string }) {
  const { t } = useTranslation();
  const ledger = useLedger({ entity: entityName, record: id });
  return (
    <div data-testid="record-sync">
      <LedgerTable ledger={ledger} of="record" empty={t("sync.ledger.noneForRecord")} />
    </div>
  );
}
