import type { SyncLedgerEntry, SyncLedgerQuery } from "@kehu/client";
import { useCallback, useEffect, useRef, useState } from "react";
import { kehu } from "../lib/kehu";

const PAGE = 50;

/**
 * The ledger rows a query selects, newest first, a page at a time: `more` appends the next page while there is one.
 * A new query starts over from an empty list; an answer to an older query, or a second click on "More" while a page
 * is loading, is dropped, so rows never repeat or mix two queries.
 */
export function useLedger(query: Omit<SyncLedgerQuery, "limit" | "before">) {
  const [entries, setEntries] = useState<SyncLedgerEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(query);
  const current = useRef(key);
  const busy = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query's values
  useEffect(() => {
    current.current = key;
    busy.current = true;
    setEntries([]);
    setNext(null);
    setError(null);
    setLoading(true);
    kehu.sync
      .ledger({ ...query, limit: PAGE })
      .then(
        (page) => {
          if (current.current !== key) return;
          setEntries(page.data);
          setNext(page.nextCursor);
        },
        (e) => current.current === key && setError(e),
      )
      .finally(() => {
        if (current.current !== key) return;
        busy.current = false;
        setLoading(false);
      });
  }, [key]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query's values
  const more = useCallback(async () => {
    if (!next || busy.current) return;
    const asked = key;
    busy.current = true;
    setLoading(true);
    try {
      const page = await kehu.sync.ledger({ ...query, limit: PAGE, before: next });
      if (current.current !== asked) return;
      setEntries((all) => [...all, ...page.data]);
      setNext(page.nextCursor);
    } catch (e) {
      if (current.current === asked) setError(e);
    } finally {
      if (current.current === asked) {
        busy.current = false;
        setLoading(false);
      }
    }
  }, [key, next]);

  return { entries, hasMore: next !== null, more, loading, error };
}
