import { createLimiter } from "./limiter";

/**
 * Maps items with at most `concurrency` calls in flight; results keep the input order. The first rejection
 * rejects the whole map (calls already started still finish).
 *
 * @example
 * const results = await mapConcurrent(batches, 4, (batch) => postBatch(batch));
 */
export function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const limit = createLimiter(concurrency);
  return Promise.all(items.map((item, index) => limit(() => fn(item, index))));
}
