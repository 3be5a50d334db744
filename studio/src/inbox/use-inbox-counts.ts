import { useCallback, useEffect, useState } from "react";
import { kehu } from "../lib/kehu";

/** Sent on `window` after an inbox action, so that the navigation's counts follow. */
export const TASKS_CHANGED = "kehu:tasks-changed";

export function announceTasksChanged(): void {
  window.dispatchEvent(new Event(TASKS_CHANGED));
}

/** How many tasks are mine and how many I may claim; reloaded on each route change and inbox action. */
export function useInboxCounts(routeKey: string): { mine: number; claimable: number } | undefined {
  const [counts, setCounts] = useState<{ mine: number; claimable: number } | undefined>(undefined);
  const load = useCallback(() => {
    Promise.all([kehu.tasks.list("mine"), kehu.tasks.list("claimable")]).then(
      ([mine, claimable]) => setCounts({ mine: mine.length, claimable: claimable.length }),
      // Without a workflow runtime (or reachable API) the navigation simply shows no counts.
      () => setCounts(undefined),
    );
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the route is the reason to reload
  useEffect(load, [load, routeKey]);
  useEffect(() => {
    window.addEventListener(TASKS_CHANGED, load);
    return () => window.removeEventListener(TASKS_CHANGED, load);
  }, [load]);
  return counts;
}
