import type { Knex } from "knex";
import { runCountsText } from "./run-counts-text";

/** Per connection: its last run, open dead letters and open conflicts, as lines for `kehu sync status`. */
export async function syncStatusLines(knex: Knex, connection?: string): Promise<string[]> {
  const q = knex("kehu.sync_connections").orderBy("name").select("name", "connector", "schedule");
  if (connection) q.where({ name: connection });
  const connections = await q;
  if (!connections.length) return [connection ? `No sync connection "${connection}".` : "No sync connections."];
  const names = connections.map((c) => c.name);
  const lastRuns = await knex("kehu.sync_runs")
    .distinctOn("connection")
    .whereIn("connection", names)
    .orderBy([{ column: "connection" }, { column: "started_at", order: "desc" }]);
  const latest = new Map(lastRuns.map((r) => [r.connection as string, r]));
  const dead = await openCounts(knex, "kehu.sync_dead_letters", names);
  const open = await openCounts(knex, "kehu.sync_conflicts", names);
  const lines: string[] = [];
  for (const c of connections) {
    const last = latest.get(c.name);
    lines.push(`${c.name} (${c.connector}${c.schedule ? `, schedule ${c.schedule}` : ""})`);
    lines.push(
      last
        ? `  last run ${last.id} ${last.status}, started ${new Date(last.started_at).toISOString()}: ${runCountsText(last, ", ")}${last.error ? ` (${last.error})` : ""}`
        : "  never run",
    );
    lines.push(`  open dead letters: ${dead.get(c.name) ?? 0}, open conflicts: ${open.get(c.name) ?? 0}`);
  }
  return lines;
}

/** Open rows of `table` per connection, in one grouped query. */
async function openCounts(knex: Knex, table: string, connections: string[]): Promise<Map<string, number>> {
  const rows: Array<{ connection: string; n: string | number }> = await knex(table)
    .whereIn("connection", connections)
    .where({ status: "open" })
    .groupBy("connection")
    .select("connection")
    .count({ n: "*" });
  return new Map(rows.map((r) => [r.connection, Number(r.n)]));
}
