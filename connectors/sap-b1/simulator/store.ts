import type { EntitySetName } from "./entity-sets";
import { sapDate, sapTime } from "./sap-dates";

export type SapRecord = Record<string, unknown>;

type JournalEntry = { set: EntitySetName; key: string; before: SapRecord | undefined };
type Journal = { records: Map<string, JournalEntry>; counters: Map<string, number> };

/**
 * In-memory company database. Every write goes through insert/update so that a transaction can undo it:
 * a failing request or $batch change set leaves no partial write behind.
 */
export class SapStore {
  private readonly sets = new Map<EntitySetName, Map<string, SapRecord>>();
  private readonly counters = new Map<string, number>();
  private journal: Journal | undefined;
  /** B1's "block negative inventory" company setting. */
  blockNegativeStock = true;
  /** Whether stock movements bump Items.UpdateDate/UpdateTime; unconfirmed in SL, so off unless asked for. */
  stockMovesTouchItems = false;

  constructor(public clock: () => Date = () => new Date()) {}

  get(set: EntitySetName, key: string | number): SapRecord | undefined {
    return this.table(set).get(String(key));
  }

  list(set: EntitySetName): SapRecord[] {
    return Array.from(this.table(set).values());
  }

  count(set: EntitySetName): number {
    return this.table(set).size;
  }

  insert(set: EntitySetName, key: string | number, record: SapRecord): SapRecord {
    this.remember(set, String(key));
    this.table(set).set(String(key), record);
    return record;
  }

  update(set: EntitySetName, key: string | number, mutate: (record: SapRecord) => void): SapRecord {
    const record = this.get(set, key);
    if (!record) throw new Error(`${set}(${key}) does not exist`);
    this.remember(set, String(key));
    mutate(record);
    return record;
  }

  /** Stamps UpdateDate/UpdateTime with the store clock, as B1 does on every change. */
  touch(record: SapRecord): void {
    const now = this.clock();
    record.UpdateDate = sapDate(now);
    record.UpdateTime = sapTime(now);
  }

  /** Next value of a numbering series (DocEntry per table, DocNum per series). */
  nextNumber(counter: string, start = 1): number {
    const current = this.counters.get(counter) ?? start - 1;
    if (this.journal && !this.journal.counters.has(counter)) this.journal.counters.set(counter, current);
    this.counters.set(counter, current + 1);
    return current + 1;
  }

  /** Runs fn atomically: when it throws, every record and counter it touched is restored. Nested calls join. */
  transaction<T>(fn: () => T): T {
    if (this.journal) return fn();
    const journal: Journal = { records: new Map(), counters: new Map() };
    this.journal = journal;
    try {
      return fn();
    } catch (error) {
      this.rollback(journal);
      throw error;
    } finally {
      this.journal = undefined;
    }
  }

  private rollback(journal: Journal): void {
    for (const { set, key, before } of journal.records.values()) {
      if (before) this.table(set).set(key, before);
      else this.table(set).delete(key);
    }
    for (const [counter, value] of journal.counters) this.counters.set(counter, value);
  }

  private remember(set: EntitySetName, key: string): void {
    if (!this.journal) return;
    const id = `${set}\u0000${key}`;
    if (this.journal.records.has(id)) return;
    const existing = this.table(set).get(key);
    this.journal.records.set(id, { set, key, before: existing && structuredClone(existing) });
  }

  private table(set: EntitySetName): Map<string, SapRecord> {
    let table = this.sets.get(set);
    if (!table) {
      table = new Map();
      this.sets.set(set, table);
    }
    return table;
  }
}
