/** Runs a task once a slot is free; at most `concurrency` tasks of one limiter run at a time. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A small bounded-concurrency gate, first come first served.
 *
 * @example
 * const limit = createLimiter(4);
 * const pages = await Promise.all(urls.map((url) => limit(() => get(url))));
 */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be an integer ≥ 1");
  let active = 0;
  const waiting: (() => void)[] = [];
  // A finishing task hands its slot straight to the next waiter, so a newcomer cannot slip in between.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
