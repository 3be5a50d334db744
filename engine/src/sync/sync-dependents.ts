import type { SyncMapping } from "@kehu/schema";
import type { Knex } from "knex";
import type { Dependent } from "../metadata/dependents";
import { fieldSourceOf } from "./field-source";

/**
 * The entity fields sync mappings write or read, for the impact analysis: renaming or dropping `customer.code`
 * names `sync mapping "sap_customers"` among what it breaks. Lookups depend on their target's key field too.
 */
export async function syncDependents(knex: Knex): Promise<Dependent[]> {
  const exists = await knex.raw("SELECT to_regclass('kehu.sync_mappings') IS NOT NULL AS ok");
  if (!exists.rows[0]?.ok) return [];
  const rows: Array<{ definition: SyncMapping }> = await knex("kehu.sync_mappings").select("definition");
  return rows.flatMap(({ definition: m }) => {
    const label = (what: string) =>
      `sync mapping "${m.name}" (${m.connection}/${m.stream}, ${m.direction}) uses ${what}`;
    const out: Dependent[] = [{ kind: "sync_mapping", id: m.name, label: label(m.entity), entity: m.entity }];
    const fields = new Set([...Object.keys(m.fields), ...(m.key.entity ? [m.key.entity] : [])]);
    for (const field of fields)
      out.push({ kind: "sync_mapping", id: m.name, label: label(`${m.entity}.${field}`), entity: m.entity, field });
    for (const raw of Object.values(m.fields)) {
      const s = fieldSourceOf(raw);
      if (s.kind === "lookup")
        out.push({
          kind: "sync_mapping",
          id: m.name,
          label: label(`${s.entity}.${s.by}`),
          entity: s.entity,
          field: s.by,
        });
    }
    return out;
  });
}
