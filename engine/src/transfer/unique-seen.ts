import type { EntityDefinition } from "@kehu/schema";
import type { RowBody } from "./row-body";
import type { RowError } from "./row-errors";
import { uniqueFields } from "./unique-taken";

/** Values of the entity's unique fields seen so far in the file: a row repeating one is refused, naming the first. */
export class UniqueSeen {
  private readonly fields: string[];
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(entity: EntityDefinition) {
    this.fields = uniqueFields(entity);
    for (const f of this.fields) this.seen.set(f, new Map());
  }

  check(r: RowBody): (Omit<RowError, "column"> & { field: string }) | undefined {
    for (const f of this.fields) {
      const v = r.body[f];
      if (v === null || v === undefined) continue;
      const first = this.seen.get(f)!.get(String(v));
      if (first !== undefined)
        return { row: r.row, field: f, message: `repeats ${f} ${JSON.stringify(v)} of row ${first}` };
    }
    for (const f of this.fields) {
      const v = r.body[f];
      if (v !== null && v !== undefined) this.seen.get(f)!.set(String(v), r.row);
    }
    return undefined;
  }
}
