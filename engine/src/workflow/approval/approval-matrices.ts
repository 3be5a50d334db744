import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../../metadata/registry";
import { type ApprovalMatrix, parseApprovalMatrix } from "./approval-matrix";

export interface StoredMatrix {
  key: string;
  entity: string;
  enabled: boolean;
  revision: number;
  definition: ApprovalMatrix;
  updatedBy: string;
  updatedAt: string;
}

const storedOf = (row: Record<string, unknown>): StoredMatrix => ({
  key: row.key as string,
  entity: row.entity as string,
  enabled: row.enabled as boolean,
  revision: row.revision as number,
  definition: row.definition as ApprovalMatrix,
  updatedBy: row.updated_by as string,
  updatedAt: new Date(row.updated_at as string).toISOString(),
});

export async function listMatrices(knex: Knex, entity?: string): Promise<StoredMatrix[]> {
  const q = knex("kehu.approval_matrices").orderBy("key");
  if (entity) q.where({ entity });
  return (await q).map(storedOf);
}

export async function getMatrix(knex: Knex, key: string): Promise<StoredMatrix> {
  const row = await knex("kehu.approval_matrices").where({ key }).first();
  if (!row) throw new AppError("not_found", `No approval matrix "${key}"`);
  return storedOf(row);
}

/**
 * Creates or replaces a matrix (checked first; 422 naming each problem). A replaced matrix takes effect for the next
 * approval planned, running approvals keep the chain they resolved; `revision` counts the changes.
 */
export async function saveMatrix(
  knex: Knex,
  registry: MetadataRegistry,
  body: unknown,
  actor: string,
  mode: { create: true } | { create: false; key: string },
): Promise<StoredMatrix> {
  const withKey =
    !mode.create && typeof body === "object" && body !== null && !Array.isArray(body)
      ? { key: mode.key, ...(body as object) }
      : body;
  if (!mode.create && (withKey as { key?: unknown }).key !== mode.key)
    throw new AppError("validation_failed", "The key in the body differs from the key in the path", [
      { path: "/key", message: `must be "${mode.key}"` },
    ]);
  const matrix = await parseApprovalMatrix(knex, registry, withKey);
  return knex.transaction(async (trx) => {
    const existing = await trx("kehu.approval_matrices").where({ key: matrix.key }).forUpdate().first("revision");
    if (mode.create && existing)
      throw new AppError("conflict", `An approval matrix "${matrix.key}" exists already (PUT replaces it)`);
    if (!mode.create && !existing) throw new AppError("not_found", `No approval matrix "${matrix.key}"`);
    const row = {
      key: matrix.key,
      entity: matrix.entity,
      enabled: matrix.enabled ?? true,
      definition: JSON.stringify(matrix),
      revision: (existing?.revision ?? 0) + 1,
      updated_by: actor,
      updated_at: new Date(),
    };
    const [saved] = existing
      ? await trx("kehu.approval_matrices").where({ key: matrix.key }).update(row).returning("*")
      : await trx("kehu.approval_matrices").insert(row).returning("*");
    return storedOf(saved);
  });
}

export async function deleteMatrix(knex: Knex, key: string): Promise<void> {
  const n = await knex("kehu.approval_matrices").where({ key }).delete();
  if (!n) throw new AppError("not_found", `No approval matrix "${key}"`);
}

/** The matrix an approval uses: the one named, else the only enabled one for the entity. */
export async function matrixFor(knex: Knex, key: string | null, entity: string | null): Promise<StoredMatrix> {
  if (key) {
    const m = await getMatrix(knex, key);
    if (!m.enabled) throw new AppError("conflict", `The approval matrix "${key}" is disabled`);
    return m;
  }
  const found = entity ? (await listMatrices(knex, entity)).filter((m) => m.enabled) : [];
  if (found.length !== 1)
    throw new AppError(
      "validation_failed",
      found.length
        ? `Several approval matrices apply to ${entity} (${found.map((m) => m.key).join(", ")}); name one in the variable approvalMatrix`
        : `No approval matrix for ${entity ?? "this instance"}; name one in the variable approvalMatrix`,
    );
  return found[0];
}
