import type { EntityDefinition } from "@kehu/schema";
import { autonumberRoutine } from "../computed/autonumber-sql";
import { rollupRoutine } from "../computed/rollup-sql";

/** Which entity a computed routine or trigger serves, and the statement that brings its column up to date. */
export interface ComputedOwner {
  entity: string;
  field: string;
  backfill: string;
}

/**
 * Every rollup and autonumber routine and trigger name the definitions ask for, with its owner. A rollup whose
 * trigger was missing has missed child changes, so repairing it recomputes the column; an autonumber's backfill
 * numbers only rows left without a number.
 */
export function computedOwners(entities: ReadonlyMap<string, EntityDefinition>): Map<string, ComputedOwner> {
  const owners = new Map<string, ComputedOwner>();
  for (const entity of entities.values())
    for (const field of entity.fields) {
      if (field.type === "rollup") {
        const child = entities.get(field.child as string);
        if (!child) continue;
        const r = rollupRoutine(entity, field, child);
        const owner = { entity: entity.name, field: field.name, backfill: r.backfill };
        for (const name of [r.name, ...r.triggers]) owners.set(name, owner);
      } else if (field.type === "autonumber") {
        const r = autonumberRoutine(entity, field);
        const owner = { entity: entity.name, field: field.name, backfill: r.backfill };
        for (const name of [r.name, `${r.name}_t`.slice(0, 63)]) owners.set(name, owner);
      }
    }
  return owners;
}

/** The bare name of a function from its `regprocedure` text: `kehu.kehu_rollup__a__b()` → `kehu_rollup__a__b`. */
export function functionName(signature: string): string {
  const head = signature.slice(0, signature.indexOf("("));
  return head.slice(head.lastIndexOf(".") + 1).replaceAll('"', "");
}
