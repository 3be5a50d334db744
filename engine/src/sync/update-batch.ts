import { isAppError } from "@kehu/core";
import type { Knex } from "knex";
import { bulkPatchById, type PatchById, type PatchOutcome } from "../records/bulk-patch";
import { bulkSecurityOf } from "../security/record-hooks";
import { BulkWriteFailed } from "./create-batch";
import type { MappingRun } from "./mapping-run";
import { writeSyncedRecord } from "./record-writer";

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
  try {
    access.require(entity.name, "update");
  } catch (e) {
    return items.map(() => ({ ok: false, message: (e as Error).message, issues: [] }));
  }
  const outcomes: Array<PatchOutcome | undefined> = items.map(() => undefined);
  const writable: number[] = [];
  items.forEach(({ patch }, i) => {
    try {
      access.assertWritable(entity.name, patch);
      writable.push(i);
    } catch (e) {
      outcomes[i] = { ok: false, message: (e as Error).message, issues: isAppError(e) ? e.issues : [] };
    }
  });
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
