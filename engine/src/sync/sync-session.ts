import type { Catalog, ConnectorSession } from "@kehu/connector-kit";
import { AppError } from "@kehu/core";
import type { SyncMapping } from "@kehu/schema";
import { referrersOf } from "../records/referrers";
import { Access } from "../security/access";
import { type ConnectionRow, openSession, requireConnection } from "./connection-store";
import type { MappingRun } from "./mapping-run";
import { listMappings } from "./mapping-store";
import { acquireRunLock } from "./run-lock";
import { closeAbandonedRuns, finishRun, insertRun, type RunView } from "./run-store";
import { loadStreamState } from "./stream-state";
import { syncPrincipal } from "./sync-principal";
import type { SyncServices } from "./sync-services";

/** A run in progress: its row, the connection's session (opened on first use), and its mappings at work. */
export interface OpenRun {
  runId: string;
  connection: ConnectionRow;
  mappings: SyncMapping[];
  session(): ConnectorSession;
  catalog(): Promise<Catalog | null>;
  mappingRun(mapping: SyncMapping): Promise<MappingRun>;
  finish(status: "succeeded" | "failed" | "cancelled", error?: string): Promise<void>;
}

export interface OpenRunOptions {
  connection: string;
  streams?: string[];
  mode: RunView["mode"];
  trigger: string;
  startedBy?: string | null;
  /** Start states recorded on the run (replays); the stored states otherwise. */
  startState?: Record<string, unknown>;
}

/**
 * Takes the connection's run lock, closes runs a dead process left `running`, records the new run and returns
 * its handle. Refusals (unknown connection, no mapping, a run already going) throw before anything is recorded.
 */
export async function openRun(services: SyncServices, options: OpenRunOptions): Promise<OpenRun> {
  const { knex } = services;
  const connection = await requireConnection(knex, options.connection);
  const all = (await listMappings(knex, { connection: connection.name })).filter((m) => m.enabled !== false);
  const mappings = options.streams?.length ? all.filter((m) => options.streams!.includes(m.stream)) : all;
  if (!mappings.length)
    throw new AppError(
      "validation_failed",
      options.streams?.length
        ? `Connection "${connection.name}" has no enabled mapping of stream ${options.streams.join(", ")}`
        : `Connection "${connection.name}" has no enabled mapping`,
    );
  const principal = await syncPrincipal(knex, connection);
  const release = await acquireRunLock(knex, services.backend, connection.name);
  try {
    await closeAbandonedRuns(knex, connection.name);
    const streams = [...new Set(mappings.map((m) => m.stream))];
    const startState: Record<string, unknown> = {};
    for (const s of streams)
      startState[s] =
        options.startState && s in options.startState
          ? options.startState[s]
          : ((await loadStreamState(knex, connection.name, s)) ?? null);
    const runId = await insertRun(knex, {
      connection: connection.name,
      streams,
      mode: options.mode,
      trigger: options.trigger,
      startedBy: options.startedBy ?? null,
      startState: startState as Record<string, null>,
    });
    const access = await Access.load(knex, principal, (n) => services.registry.get(n));
    let session: ConnectorSession | undefined;
    let catalog: Promise<Catalog | null> | undefined;
    const open = () => {
      session ??= openSession(services, connection);
      return session;
    };
    const discover = () => {
      catalog ??= open()
        .discover()
        .catch((e) => {
          services.logger.warn({ connection: connection.name, err: (e as Error).message }, "sync discover failed");
          return connection.catalog;
        });
      return catalog;
    };
    return {
      runId,
      connection,
      mappings,
      session: open,
      catalog: discover,
      async mappingRun(mapping) {
        const entity = services.registry.require(mapping.entity);
        const catalog = await discover();
        const stream = catalog?.streams.find((s) => s.name === mapping.stream);
        // A mapping saved before the connection was checked may name a stream the system does not offer: the run
        // stops on it at once, instead of retrying a read that cannot succeed.
        if (catalog && !stream)
          throw new AppError(
            "validation_failed",
            `Mapping ${mapping.name} names stream "${mapping.stream}", which connection ${connection.name} does not offer; it offers: ${catalog.streams.map((s) => s.name).join(", ")}`,
          );
        return {
          services,
          runId,
          connection: connection.name,
          mapping,
          entity,
          referrers: referrersOf(services.registry.list(), entity.name),
          access,
          stream,
          createdKeyOf:
            mapping.direction !== "pull" && open().createdKeyOf
              ? (key) => open().createdKeyOf?.(mapping.stream, key)
              : undefined,
        };
      },
      async finish(status, error) {
        try {
          await finishRun(knex, runId, status, error);
        } finally {
          try {
            await session?.close();
          } finally {
            await release();
          }
        }
      },
    };
  } catch (e) {
    await release();
    throw e;
  }
}
