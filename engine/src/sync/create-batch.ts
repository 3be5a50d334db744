import type { Issue } from "@kehu/core";
import type { Knex } from "knex";
import { bulkUpsert } from "../records/bulk-upsert";
import { invalidRecordMessage } from "../records/record-validator";
import { bulkSecurityOf } from "../security/record-hooks";
import type { MappingRun } from "./mapping-run";
import { writeSyncedRecord } from "./record-writer";
import { permittedBodies } from "./write-permission";

export type CreateOutcome = { ok: true; id: string; version: number } | { ok: false; message: string; issues: Issue[] };

/** A page's bulk insert or update failed as a whole (a database constraint): the page's transaction is lost. */
export class BulkWriteFailed extends Error {
  constructor(readonly reason: unknown) {
    super(`the page's bulk write failed: ${(reason as Error)?.message ?? String(reason)}`);
  }
}

/**
 * Creates a page's new records as the sync principal (scopes, stamps, audit), each refused record reported on its
 * own (workflow triggers hear of the created ones as of single writes). "bulk": one insert joining the page's
 * transaction; should it fail as a whole (a database constraint), BulkWriteFailed is thrown and the caller writes
 * the page again with "alone": each record on its own, so that only the bad ones fail.
 */
export async function createBatch(
  trx: Knex,
  run: MappingRun,
  bodies: Array<Record<string, unknown>>,
  mode: "bulk" | "alone",
): Promise<CreateOutcome[]> {
  const { entity, access } = run;
  const { writable, refused } = permittedBodies(access, entity.name, "create", bodies);
  const outcomes: Array<CreateOutcome | undefined> = refused;
  if (!writable.length) return outcomes as CreateOutcome[];
  const writeAlone = async (indexes: number[]) => {
    for (const index of indexes) {
      const written = await writeSyncedRecord(trx, entity, run.referrers, access, { create: bodies[index] });
      outcomes[index] = written.ok
        ? { ok: true, id: written.record.id as string, version: written.record.version as number }
        : written;
    }
  };
  if (mode === "alone") {
    await writeAlone(writable);
    return outcomes as CreateOutcome[];
  }
  try {
    const result = await bulkUpsert(
      trx,
      entity,
      writable.map((i) => bodies[i]),
      { atomic: false, joinTransaction: true },
      access.principal.login,
      bulkSecurityOf(access, entity),
    );
    const issuesOf = new Map<number, Issue[]>();
    for (const issue of result.errors) {
      const n = Number(issue.path.split("/")[2]);
      issuesOf.set(n, [...(issuesOf.get(n) ?? []), issue]);
    }
    writable.forEach((index, j) => {
      const id = result.ids[j];
      const issues = (issuesOf.get(j) ?? []).map((i) => ({ ...i, path: `/${i.path.split("/").slice(3).join("/")}` }));
      outcomes[index] = id
        ? { ok: true, id, version: 1 }
        : { ok: false, message: invalidRecordMessage(entity.name, issues), issues };
    });
  } catch (e) {
    throw new BulkWriteFailed(e);
  }
  return outcomes as CreateOutcome[];
}
