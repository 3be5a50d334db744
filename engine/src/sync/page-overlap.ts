import type { MappingRun } from "./mapping-run";
import type { PreparedRecord } from "./pull-prepare";

/**
 * What a page's transaction may read or write of another page's: its external keys and, when the mapping matches
 * unlinked records by an entity field, the values of that field. A page whose keys are disjoint from the page still
 * committing decides the same on the data before that page as after it, so its transaction may start at once.
 */
export function pageKeysOf(run: MappingRun, prepared: readonly PreparedRecord[]): Set<string> {
  const keys = new Set<string>();
  const field = run.mapping.key.entity;
  for (const p of prepared) {
    if (p.key !== undefined) keys.add(`k:${p.key}`);
    if (field && p.result.kind === "mapped" && p.result.body[field] != null)
      keys.add(`e:${String(p.result.body[field])}`);
  }
  return keys;
}

export function disjoint(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const k of small) if (large.has(k)) return false;
  return true;
}

/**
 * A page's place in the commit order when pages overlap. The page takes an advisory lock on its turn when its
 * transaction begins; the page after it waits for that lock inside PostgreSQL, not in JavaScript, before it writes
 * its links, ledger and checkpoint. So a lock the two pages need from each other (a unique value, a roll-up's
 * parent row, an autonumber counter) is a cycle PostgreSQL sees and breaks as a deadlock instead of a hang.
 */
export class PageTurn {
  /** Settles once the page holds its lock, or will not take it. */
  readonly locked: Promise<void>;
  /** Settles when the page's first transaction ends: true if it committed. */
  readonly ended: Promise<boolean>;
  private lock!: () => void;
  private end!: (committed: boolean) => void;

  constructor(
    readonly key: string,
    readonly page: number,
  ) {
    this.locked = new Promise((resolve) => (this.lock = resolve));
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  markLocked(): void {
    this.lock();
  }

  markEnded(committed: boolean): void {
    this.lock();
    this.end(committed);
  }
}

/** The page before rolled back while this one waited for it: this page is written again after it. */
export class PredecessorRolledBack extends Error {
  constructor() {
    super("the page before did not commit");
  }
}

/** PostgreSQL broke a lock cycle (40P01), here between two overlapping pages; possibly wrapped by a bulk write. */
export function isDeadlock(error: unknown): boolean {
  const codeOf = (e: unknown) => (e as { code?: unknown } | undefined)?.code;
  return codeOf(error) === "40P01" || codeOf((error as { reason?: unknown } | undefined)?.reason) === "40P01";
}
