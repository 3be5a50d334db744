import { useCallback, useEffect, useState } from "react";

/**
 * A panel's data loaded on mount (`load` must be stable), its error for the banner, and `run`: an action whose
 * failure shows in the banner, followed by a reload either way.
 */
export function useReloadingRun(load: () => Promise<unknown>) {
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => load().catch(setError), [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    }
    await reload();
  };
  return { error, run };
}
