import type { Knex } from "knex";

// One lock for every metadata change, so two processes never plan against the same stored definition.
const METADATA_LOCK = 7263542;

/** Takes the metadata lock until the transaction ends. */
export async function lockMetadata(trx: Knex.Transaction): Promise<void> {
  await trx.raw("SELECT pg_advisory_xact_lock(?)", [METADATA_LOCK]);
}
