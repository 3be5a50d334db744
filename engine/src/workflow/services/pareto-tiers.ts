import { add, cmp, type Dec, dec, mul } from "../../computed/exact-decimal";

/** A tier and the cumulative share of the total (percent, 0 < upTo ≤ 100) it covers from the top. */
export interface ParetoTier {
  value: string;
  upTo: Dec;
}

/**
 * The Pareto (20/80) classification of measured items. Items are ranked by measure, largest first; an item with a
 * positive measure takes the first tier (ordered by `upTo`) whose share the items ranked strictly above it have not
 * yet filled: `sum of larger measures < upTo% × total`. So the item that crosses the threshold is still in the tier,
 * and equal measures always share a tier (a tie is never split). Zero, negative and missing measures, and every item
 * when the total is not positive, take `rest`.
 *
 * @example
 * paretoTiers([{id: "a", measure: dec("700")}, {id: "b", measure: dec("200")}, {id: "c", measure: dec("100")}],
 *   [{value: "gold", upTo: dec("80")}, {value: "potential", upTo: dec("95")}], "general")
 * // Map {a → gold, b → gold, c → potential}
 */
export function paretoTiers(
  items: ReadonlyArray<{ id: string; measure: Dec | null }>,
  tiers: readonly ParetoTier[],
  rest: string,
): Map<string, string> {
  const out = new Map<string, string>(items.map((i) => [i.id, rest]));
  const positive = items.filter((i): i is { id: string; measure: Dec } => !!i.measure && i.measure.v > 0n);
  if (!positive.length) return out;
  const total = positive.reduce((sum, i) => add(sum, i.measure), dec(0));
  const ordered = [...tiers].sort((a, b) => cmp(a.upTo, b.upTo));
  const ranked = [...positive].sort((a, b) => cmp(b.measure, a.measure));
  let above = dec(0);
  for (let start = 0; start < ranked.length; ) {
    let end = start;
    while (end < ranked.length && cmp(ranked[end].measure, ranked[start].measure) === 0) end++;
    // above < upTo% × total, kept exact: above × 100 < upTo × total
    const tier = ordered.find((t) => cmp(mul(above, dec(100)), mul(t.upTo, total)) < 0);
    for (let i = start; i < end; i++) {
      out.set(ranked[i].id, tier?.value ?? rest);
      above = add(above, ranked[i].measure);
    }
    start = end;
  }
  return out;
}
