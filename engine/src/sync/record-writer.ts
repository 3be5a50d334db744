import { type Issue, isAppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { RecordBody } from "../records/record-codec";
import { RecordStore } from "../records/record-store";
import type { Referrer } from "../records/referrers";
import type { Access } from "../security/access";
import { recordHooksOf } from "../security/record-hooks";

export type WriteOutcome = { ok: true; record: RecordBody } | { ok: false; message: string; issues: Issue[] };

/**
 * Creates or patches one record as the sync principal (its scopes, field permissions and audit trail), inside a
 * savepoint of the page's transaction: a refused record rolls back alone and the page goes on.
 */
export async function writeSyncedRecord(
  trx: Knex,
  entity: EntityDefinition,
  referrers: readonly Referrer[],
  access: Access,
  op: { create: Record<string, unknown> } | { id: string; patch: Record<string, unknown>; version: number },
): Promise<WriteOutcome> {
  try {
    const record = await trx.transaction(async (sp) => {
      const store = new RecordStore(sp, entity, referrers, recordHooksOf(access, entity));
      if ("create" in op) {
        access.require(entity.name, "create");
        access.assertWritable(entity.name, op.create);
        return store.create(op.create, access.principal.login);
      }
      access.require(entity.name, "update");
      access.assertWritable(entity.name, op.patch);
      return store.update(op.id, op.patch, op.version);
    });
    return { ok: true, record };
  } catch (e) {
    if (isAppError(e)) {
      const detail = e.issues.map((i) => `${i.path.slice(1) || "record"}: ${i.message}`).join("; ");
      return { ok: false, message: detail ? `${e.message} (${detail})` : e.message, issues: e.issues };
    }
    return { ok: false, message: (e as Error).message, issues: [] };
  }
}
