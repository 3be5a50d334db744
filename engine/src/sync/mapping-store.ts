import { AppError } from "@kehu/core";
import type { SyncMapping } from "@kehu/schema";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";
import { findConnection } from "./connection-store";
import { mappingIssues } from "./mapping-issues";

/** Validates a mapping against the entities and the connection's catalog, then creates or replaces it. */
export async function saveMapping(knex: Knex, registry: MetadataRegistry, body: unknown): Promise<SyncMapping> {
  const connectionName = (body as { connection?: unknown } | null)?.connection;
  const connection = typeof connectionName === "string" ? await findConnection(knex, connectionName) : undefined;
  const issues = mappingIssues(body, { entity: (n) => registry.get(n), catalog: connection?.catalog });
  if (!issues.length && !connection)
    issues.push({ path: "/connection", message: `no sync connection "${String(connectionName)}"` });
  if (issues.length) throw new AppError("validation_failed", "The mapping is not valid", issues);
  const mapping = body as SyncMapping;
  if (mapping.direction !== "push") {
    const other = await knex("kehu.sync_mappings")
      .where({ connection: mapping.connection, stream: mapping.stream })
      .whereNot({ name: mapping.name })
      .whereRaw("definition->>'direction' <> 'push'")
      .first("name");
    if (other)
      throw new AppError("validation_failed", "The mapping is not valid", [
        {
          path: "/stream",
          message: `mapping "${other.name}" already pulls stream ${mapping.stream} of ${mapping.connection}`,
        },
      ]);
  }
  const row = {
    name: mapping.name,
    connection: mapping.connection,
    stream: mapping.stream,
    entity: mapping.entity,
    definition: JSON.stringify(mapping),
    schedule: mapping.schedule ?? null,
    updated_at: knex.fn.now(),
  };
  await knex("kehu.sync_mappings").insert(row).onConflict("name").merge();
  return mapping;
}

export async function getMapping(knex: Knex, name: string): Promise<SyncMapping> {
  const row = await knex("kehu.sync_mappings").where({ name }).first("definition");
  if (!row) throw new AppError("not_found", `No sync mapping "${name}"`);
  return row.definition;
}

export async function listMappings(knex: Knex, filter: { connection?: string } = {}): Promise<SyncMapping[]> {
  const q = knex("kehu.sync_mappings").orderBy("name");
  if (filter.connection) q.where({ connection: filter.connection });
  return (await q.select("definition")).map((r: { definition: SyncMapping }) => r.definition);
}

export async function deleteMapping(knex: Knex, name: string): Promise<void> {
  const n = await knex("kehu.sync_mappings").where({ name }).delete();
  if (!n) throw new AppError("not_found", `No sync mapping "${name}"`);
}
