import type { Knex } from "knex";
import { bulkPatchById, type PatchById, type PatchOutcome } from "../records/bulk-patch";
import { bulkSecurityOf } from "../security/record-hooks";
import { BulkWriteFailed } from "./create-batch";
import type { MappingRun } from "./mapping-run";
import { writeSyncedRecord } from "./record-writer";
import { permittedBodies } from "./write-permission";

/**
 * Patches a page's changed records as the sync principal (scopes, field permissions, audit, record-change
 * triggers), each refused record reported on its own. "bulk": one UPDATE per set of patched columns joining the
 * page's transaction; should it fail as a whole (a database constraint), BulkWriteFailed is thrown and the caller
 * writes the page again with "alone": each record in its own savepoint, so that only the bad ones fail.
 */
export async function updateBatch(
  trx: Knex,
  run: MappingRun,
  items: readonly PatchById[],
  mode: "bulk" | "alone",
): Promise<PatchOutcome[]> {
  const { entity, access } = run;
  if (mode === "alone") {
    const outcomes: PatchOutcome[] = [];
    for (const { id, patch, version } of items)
      outcomes.push(await writeSyncedRecord(trx, entity, run.referrers, access, { id, patch, version }));
    return outcomes;
  }
  const { writable, refused } = permittedBodies(
    access,
    entity.name,
    "update",
    items.map((item) => item.patch),
  );
  const outcomes: Array<PatchOutcome | undefined> = refused;
  if (!writable.length) return outcomes as PatchOutcome[];
  let written: PatchOutcome[];
  try {
    written = await bulkPatchById(
      trx,
      entity,
      writable.map((i) => items[i]),
      bulkSecurityOf(access, entity),
    );
  } catch (e) {
    throw new BulkWriteFailed(e);
  }
  writable.forEach((i, j) => {
    outcomes[i] = written[j];
  });
  return outcomes as PatchOutcome[];
}
