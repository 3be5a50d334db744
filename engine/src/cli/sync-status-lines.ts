import type { Knex } from "knex";

/** Per connection: its last run, open dead letters and open conflicts, as lines for `kehu sync status`. */
export async function syncStatusLines(knex: Knex, connection?: string): Promise<string[]> {
  const q = knex("kehu.sync_connections").orderBy("name").select("name", "connector", "schedule");
  if (connection) q.where({ name: connection });
  const connections = await q;
  if (!connections.length) return [connection ? `No sync connection "${connection}".` : "No sync connections."];
  const lines: string[] = [];
  for (const c of connections) {
    const last = await knex("kehu.sync_runs").where({ connection: c.name }).orderBy("started_at", "desc").first();
    const [{ dead }] = await knex("kehu.sync_dead_letters")
      .where({ connection: c.name, status: "open" })
      .count({ dead: "*" });
    const [{ open }] = await knex("kehu.sync_conflicts")
      .where({ connection: c.name, status: "open" })
      .count({ open: "*" });
    lines.push(`${c.name} (${c.connector}${c.schedule ? `, schedule ${c.schedule}` : ""})`);
    lines.push(
      last
        ? `  last run ${last.id} ${last.status}, started ${new Date(last.started_at).toISOString()}: read ${last.read}, created ${last.created}, updated ${last.updated}, unchanged ${last.unchanged}, failed ${last.failed}, conflicts ${last.conflicts}${last.error ? ` (${last.error})` : ""}`
        : "  never run",
    );
    lines.push(`  open dead letters: ${Number(dead)}, open conflicts: ${Number(open)}`);
  }
  return lines;
}
