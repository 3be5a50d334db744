import { AppError, type Issue } from "@kehu/core";
import { rowToRecord } from "../records/record-codec";
import { referrersOf } from "../records/referrers";
import { Access } from "../security/access";
import type { Principal } from "../security/principal";
import { entityTable } from "../storage/identifiers";
import { type ConflictRow, getConflict } from "./conflict-store";
import { linksByKey, saveLinks } from "./link-store";
import { getMapping } from "./mapping-store";
import { payloadHash } from "./payload-hash";
import { writeSyncedRecord } from "./record-writer";
import { sameValue } from "./same-value";
import type { SyncServices } from "./sync-services";

export type Resolution = { take: "crm" | "erp" } | { take: "custom"; values: Record<string, unknown> };

/** Reads `{take: "crm" | "erp"}` or `{take: "custom", values: {field: value}}`, naming every bad part. */
export function parseResolution(body: unknown, conflict: ConflictRow): Resolution {
  const b = (body ?? {}) as Record<string, unknown>;
  if (!["crm", "erp", "custom"].includes(b.take as string))
    throw new AppError("validation_failed", "Say which value to keep", [
      { path: "/take", message: 'must be "crm", "erp" or "custom"' },
    ]);
  if (b.take !== "custom") return { take: b.take as "crm" | "erp" };
  const values = b.values as Record<string, unknown> | undefined;
  const issues: Issue[] = [];
  if (!values || typeof values !== "object") issues.push({ path: "/values", message: "is required with custom" });
  else {
    for (const f of Object.keys(conflict.fields))
      if (!(f in values)) issues.push({ path: `/values/${f}`, message: "is required: the field is in conflict" });
    for (const f of Object.keys(values))
      if (!(f in conflict.fields)) issues.push({ path: `/values/${f}`, message: "is not a field of this conflict" });
  }
  if (issues.length) throw new AppError("validation_failed", "The resolution is not valid", issues);
  return { take: "custom", values: values! };
}

/**
 * Settles an open conflict: the ERP's other changes apply, the conflicting fields take the chosen side, the link
 * records the ERP's values as the new base (so a CRM value kept is pushed by the next run), all in one transaction.
 */
export async function resolveConflict(services: SyncServices, id: string, body: unknown, principal: Principal) {
  return services.knex.transaction(async (trx) => {
    // Locked: a second decision taken at the same time waits, then finds the conflict resolved.
    const conflict = await getConflict(trx, id, true);
    if (conflict.status !== "open") throw new AppError("conflict", `Conflict ${id} is already resolved`);
    const resolution = parseResolution(body, conflict);
    const mapping = await getMapping(trx, conflict.mapping);
    const entity = services.registry.require(conflict.entity);
    const side = { connection: conflict.connection, stream: conflict.stream, entity: entity.name };
    const link = (await linksByKey(trx, side, [conflict.external_key])).get(conflict.external_key);
    const { rows } = await trx.raw(`SELECT * FROM ${entityTable(entity.name)} WHERE id = ? FOR UPDATE`, [
      conflict.record_id,
    ]);
    if (!rows[0]) throw new AppError("not_found", `The ${entity.name} record of conflict ${id} no longer exists`);
    const crm = rowToRecord(entity, rows[0]);
    const erp = conflict.erp_payload;
    const base = link?.last_payload ?? {};
    const def = (n: string) => entity.fields.find((f) => f.name === n);
    const patch: Record<string, unknown> = {};
    for (const n of Object.keys(mapping.fields)) {
      if (!(n in erp)) continue;
      const value =
        n in conflict.fields
          ? chosenValue(resolution, n, erp, crm)
          : sameValue(def(n), erp[n], base[n])
            ? crm[n]
            : erp[n];
      if (!sameValue(def(n), value, crm[n])) patch[n] = value;
    }
    let version = Number(crm.version);
    if (Object.keys(patch).length) {
      const access = await Access.load(trx, principal, (n) => services.registry.get(n));
      const written = await writeSyncedRecord(trx, entity, referrersOf(services.registry.list(), entity.name), access, {
        id: crm.id as string,
        patch,
        version,
      });
      if (!written.ok) throw new AppError("validation_failed", written.message, written.issues);
      version = written.record.version as number;
    }
    const after = { ...crm, ...patch };
    const agrees = Object.keys(erp).every((n) => sameValue(def(n), after[n], erp[n]));
    await saveLinks(trx, side, [
      {
        record_id: crm.id as string,
        external_key: conflict.external_key,
        last_hash: payloadHash(erp),
        last_payload: erp,
        source: conflict.source,
        crm_version: agrees ? version : 0,
      },
    ]);
    const chosen = Object.fromEntries(
      Object.keys(conflict.fields).map((f) => [f, chosenValue(resolution, f, erp, crm)]),
    );
    await trx("kehu.sync_conflicts")
      .where({ id: conflict.id })
      .update({
        status: "resolved",
        resolution: `take_${resolution.take}`,
        chosen: JSON.stringify(chosen),
        resolved_by: principal.login,
        resolved_at: trx.fn.now(),
      });
    return getConflict(trx, id);
  });
}

function chosenValue(
  r: Resolution,
  field: string,
  erp: Record<string, unknown>,
  crm: Record<string, unknown>,
): unknown {
  if (r.take === "custom") return r.values[field];
  return r.take === "erp" ? erp[field] : crm[field];
}
