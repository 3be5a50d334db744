import type { SyncLedgerEntry, SyncLedgerQuery } from "@kehu/client";
import { useCallback, useEffect, useState } from "react";
import { kehu } from "../lib/kehu";

const PAGE = 50;

/**
 * The ledger rows a query selects, newest first, a page at a time: `more` appends the next page while there is one.
 * A new query starts over (an answer to an older query arriving late is dropped).
 */
export function useLedger(query: Omit<SyncLedgerQuery, "limit" | "before">) {
  const [entries, setEntries] = useState<SyncLedgerEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(query);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query's values
  useEffect(() => {
    let current = true;
    setError(null);
    kehu.sync.ledger({ ...query, limit: PAGE }).then(
      (page) => {
        if (!current) return;
        setEntries(page.data);
        setNext(page.nextCursor);
      },
      (e) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [key]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query's values
  const more = useCallback(async () => {
    if (!next) return;
    try {
      const page = await kehu.sync.ledger({ ...query, limit: PAGE, before: next });
      setEntries((all) => [...all, ...page.data]);
      setNext(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  }, [key, next]);

  return { entries, hasMore: next !== null, more, error };
}
