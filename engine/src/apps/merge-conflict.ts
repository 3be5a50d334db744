import { canonicalJson } from "../storage/canonical-json";

/** The two sides of an upgrade: the new template, or the customer's current (local) metadata. */
export type MergeSide = "template" | "local";

/** Which side a conflict takes (from `--take`), or undefined while it is undecided. */
export type DecideConflict = (key: string) => MergeSide | undefined;

/**
 * One place where the template and the local metadata both changed what was installed, differently.
 * `key` names it as the files do: `customer`, `customer.label`, `customer.fields.tier`,
 * `customer.fields.tier.label`, `customer.fields.tier.values.vip`.
 */
export interface MergeConflict {
  key: string;
  reason: string;
  installed?: unknown;
  template?: unknown;
  local?: unknown;
  /** The side taken, when a decision was given. */
  taken?: MergeSide;
}

/** What a merge collects on its way: conflicts, and local edits it kept. */
export class MergeLog {
  readonly conflicts: MergeConflict[] = [];
  readonly keptLocal: string[] = [];

  constructor(private readonly decide: DecideConflict) {}

  /** Records a conflict and returns the side to take (undefined: undecided). */
  conflict(c: Omit<MergeConflict, "taken">): MergeSide | undefined {
    const taken = this.decide(c.key);
    this.conflicts.push(taken ? { ...c, taken } : c);
    return taken;
  }

  /**
   * The three-way merge of one value (absent is undefined): a side that left the installed value alone yields
   * to the other; equal changes agree; different changes conflict. An undecided conflict yields the template's.
   */
  value(key: string, installed: unknown, template: unknown, local: unknown): unknown {
    if (same(template, installed)) {
      if (!same(local, installed)) this.keptLocal.push(key);
      return local;
    }
    if (same(local, installed) || same(template, local)) return template;
    const taken = this.conflict({
      key,
      reason: "changed by both the template and locally",
      installed,
      template,
      local,
    });
    return taken === "local" ? local : template;
  }
}

/** Equal as JSON; absent equals null. */
export function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}
