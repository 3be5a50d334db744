import { isAppError } from "@kehu/core";
import type { Knex } from "knex";
import type { RunView } from "./run-store";
import { runSync } from "./run-sync";
import type { SyncServices } from "./sync-services";

/** A cron schedule to register: a connection's (all its mappings) or one mapping's (its stream only). */
export interface SyncSchedule {
  /** A stable job key (pg-boss allows letters, digits, `_-./`), e.g. `sync/erp` or `sync/erp/partners`. */
  key: string;
  cron: string;
  connection: string;
  streams?: string[];
}

/** Every schedule of enabled connections and their mappings, for the job runner to register (pg-boss). */
export async function syncSchedules(knex: Knex): Promise<SyncSchedule[]> {
  const connections: Array<{ name: string; schedule: string | null }> = await knex("kehu.sync_connections")
    .where({ enabled: true })
    .select("name", "schedule");
  const mappings: Array<{ connection: string; stream: string; schedule: string }> = await knex("kehu.sync_mappings")
    .whereNotNull("schedule")
    .whereIn(
      "connection",
      connections.map((c) => c.name),
    )
    .select("connection", "stream", "schedule");
  return [
    ...connections
      .filter((c) => c.schedule)
      .map((c) => ({ key: `sync/${c.name}`, cron: c.schedule!, connection: c.name })),
    ...mappings.map((m) => ({
      key: `sync/${m.connection}/${m.stream}`,
      cron: m.schedule,
      connection: m.connection,
      streams: [m.stream],
    })),
  ];
}

/**
 * The job handler of a scheduled sync: runs the schedule's connection (or stream) incrementally. A run of the same
 * connection still going is not an error here: the tick is skipped and the next one catches up.
 */
export async function runScheduledSync(
  services: SyncServices,
  schedule: Pick<SyncSchedule, "connection" | "streams">,
): Promise<RunView | undefined> {
  try {
    return await runSync(services, {
      connection: schedule.connection,
      streams: schedule.streams,
      trigger: "schedule",
      startedBy: "schedule",
    });
  } catch (e) {
    if (isAppError(e) && e.code === "conflict") {
      services.logger.info({ connection: schedule.connection }, "scheduled sync skipped: a run is still going");
      return undefined;
    }
    throw e;
  }
}
