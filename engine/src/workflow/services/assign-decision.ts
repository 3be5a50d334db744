import type { Candidate, CandidateSpec, Skipped } from "./assign-candidates";
import { ruleMatches, type TerritoryTable, testedValues, type Within } from "./territory-rules";

/** Where a decision gets its facts: the live service reads and locks the database, a what-if run simulates. */
export interface DecisionSource {
  candidates(spec: CandidateSpec): Promise<{ candidates: Candidate[]; skipped: Skipped[] }>;
  /** The next turn (1, 2, …) of a round-robin pool; the live one locks the pool's counter until commit. */
  turn(pool: string): Promise<number>;
  /** Open records per candidate id. */
  loads(candidates: Candidate[]): Promise<Map<string, number>>;
}

export interface Pick {
  chosen: Candidate | undefined;
  pool: string;
  turn?: number;
  candidates: Array<string | { login: string; open: number }>;
  skipped: Skipped[];
}

/** Picks among a spec's users: round-robin by the pool's turn, or the fewest open records; skips users at capacity. */
export async function pickAmong(
  source: DecisionSource,
  spec: CandidateSpec,
  within: Within,
  pool: string,
  maxOpen?: number,
): Promise<Pick> {
  const found = await source.candidates(spec);
  const skipped = [...found.skipped];
  let candidates = found.candidates;
  let loads: Map<string, number> | undefined;
  if (candidates.length && (within === "leastOpen" || maxOpen !== undefined)) loads = await source.loads(candidates);
  if (maxOpen !== undefined && loads) {
    const full = candidates.filter((c) => (loads?.get(c.id) ?? 0) >= maxOpen);
    for (const c of full)
      skipped.push({ login: c.login, reason: `at capacity (${loads.get(c.id)} open, max ${maxOpen})` });
    candidates = candidates.filter((c) => !full.includes(c));
  }
  if (!candidates.length) return { chosen: undefined, pool, candidates: [], skipped };
  // Taking a turn also serialises leastOpen decisions of one pool, so each counts the previous one's record.
  const turn = await source.turn(pool);
  if (within === "roundRobin")
    return {
      chosen: candidates[(turn - 1) % candidates.length],
      pool,
      turn,
      candidates: candidates.map((c) => c.login),
      skipped,
    };
  const scored = candidates.map((c) => ({ login: c.login, open: loads?.get(c.id) ?? 0 }));
  const best = scored.reduce((a, b) => (b.open < a.open ? b : a));
  return { chosen: candidates.find((c) => c.login === best.login), pool, candidates: scored, skipped };
}

export interface TerritoryDecision {
  chosen: Candidate | undefined;
  trace: {
    strategy: "territory";
    ruleSource: string;
    record: Record<string, unknown>;
    rules: Array<{ name: string; matched: boolean; note?: string }>;
    rule: string | null;
    within: Within | null;
  } & Partial<Omit<Pick, "chosen">>;
}

/**
 * Runs a territory table on a record: the first matching rule that still has a candidate decides (round-robin or
 * least-open inside it); a matching rule whose users are all inactive or full is noted and passed over; then the
 * fallback. The trace says which rules matched, who was considered, and who was skipped and why.
 */
export async function decideTerritory(
  source: DecisionSource,
  table: TerritoryTable,
  record: Record<string, unknown>,
  options: { ruleSource: string; poolPrefix: string; within?: Within },
): Promise<TerritoryDecision> {
  const rules: TerritoryDecision["trace"]["rules"] = [];
  const skipped: Skipped[] = [];
  const base = { strategy: "territory" as const, ruleSource: options.ruleSource, record: testedValues(table, record) };
  const attempts = [
    ...table.rules.map((r) => ({ rule: r, matched: ruleMatches(r, record) })),
    ...(table.fallback ? [{ rule: { name: "fallback", when: {}, ...table.fallback }, matched: true }] : []),
  ];
  for (const { rule, matched } of attempts) {
    const name = rule.name ?? "fallback";
    if (!matched) {
      rules.push({ name, matched: false });
      continue;
    }
    const within = rule.within ?? table.within ?? options.within ?? "roundRobin";
    const pick = await pickAmong(source, rule, within, `${options.poolPrefix}:${name}`, rule.maxOpen);
    skipped.push(...pick.skipped);
    if (!pick.chosen) {
      rules.push({ name, matched: true, note: "no candidate left" });
      continue;
    }
    rules.push({ name, matched: true });
    const { chosen, ...rest } = pick;
    return { chosen, trace: { ...base, rules, rule: name, within, ...rest, skipped } };
  }
  return { chosen: undefined, trace: { ...base, rules, rule: null, within: null, candidates: [], skipped } };
}
