import { type EntityDefinition, hasEntityShape } from "@kehu/schema";
import type { Knex } from "knex";
import type { DependentRegistry } from "./dependents";
import { withFieldIds } from "./field-ids";
import { analyseImpact, type ImpactAnalysis } from "./impact-analysis";
import type { StoredEntity } from "./stored-entities";

/** What a batch (or a deletion) does to everything that depends on what it changes; see `analyseImpact`. */
export async function impactOfBatch(
  knex: Knex,
  dependents: DependentRegistry,
  stored: ReadonlyMap<string, StoredEntity>,
  change: {
    batch: readonly EntityDefinition[];
    drop?: readonly string[];
    breaks?: readonly string[];
    dryRun?: boolean;
  },
): Promise<ImpactAnalysis> {
  const definitions = new Map([...stored].map(([name, s]) => [name, s.definition]));
  // Anything not shaped like a definition (indexes that are no list, a field that is null) is left for validation.
  if (!change.batch.every(hasEntityShape)) return { definitions: [...change.batch], impact: [], blocking: [] };
  return analyseImpact({
    stored: definitions,
    batch: change.batch.map((d) => withFieldIds(d, definitions.get(d.name))),
    drop: change.drop,
    external: await dependents.collect(knex),
    breaks: new Set(change.breaks ?? []),
    assumeBroken: change.dryRun,
  });
}
