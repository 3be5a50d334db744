import type { ConnectorSession } from "@kehu/connector-kit";
import { AppError, isUuid } from "@kehu/core";
import type { SyncMapping } from "@kehu/schema";
import { rowToRecord } from "../records/record-codec";
import { entityTable } from "../storage/identifiers";
import { USER_RETRY } from "./backoff";
import { closeDeadLetter, type DeadLetterView, getDeadLetter } from "./dead-letter-store";
import { linksByKey, linksByRecord } from "./link-store";
import type { MappingRun } from "./mapping-run";
import { getMapping, listMappings } from "./mapping-store";
import { commitPullPage } from "./pull-page";
import { pushPage } from "./push-page";
import { runFailureMessage } from "./run-failure-message";
import { getRun, type RunView } from "./run-store";
import type { SyncServices } from "./sync-services";
import { openRun } from "./sync-session";

export type ReplayTarget =
  | { connection: string; stream: string; externalKey: string; payload?: Record<string, unknown> }
  | { mapping: string; recordId: string };

/**
 * Syncs one record again, as a run of its own: pulls the ERP record Kehu last read (or the dead letter's payload)
 * through the mapping as it is now, or pushes the CRM record even when it seems unchanged.
 */
export async function replayRecord(
  services: SyncServices,
  target: ReplayTarget,
  startedBy: string | null,
  onFailure?: (error: unknown) => void,
): Promise<RunView> {
  if ("recordId" in target)
    return replayPush(services, await getMapping(services.knex, target.mapping), target.recordId, startedBy, onFailure);
  const mapping = (await listMappings(services.knex, { connection: target.connection })).find(
    (m) => m.stream === target.stream && m.direction !== "push",
  );
  if (!mapping) throw new AppError("not_found", `No mapping pulls stream ${target.stream} of ${target.connection}`);
  let source = target.payload;
  if (!source) {
    const side = { connection: target.connection, stream: target.stream, entity: mapping.entity };
    source =
      (await linksByKey(services.knex, side, [target.externalKey], { withSource: true })).get(target.externalKey)
        ?.source ?? undefined;
  }
  if (!source) {
    const dead = await services
      .knex("kehu.sync_dead_letters")
      .where({ mapping: mapping.name, direction: "pull", external_key: target.externalKey })
      .orderBy("id", "desc")
      .first("payload");
    source = dead?.payload;
  }
  if (!source)
    throw new AppError(
      "not_found",
      `Kehu holds no copy of ${target.stream} ${target.externalKey}; run the stream with full=true to read it again`,
    );
  const record = source;
  return asReplayRun(services, mapping, startedBy, (mr) => commitPullPage(mr, [record], undefined, 1));
}

async function replayPush(
  services: SyncServices,
  mapping: SyncMapping,
  recordId: string,
  startedBy: string | null,
  onFailure?: (error: unknown) => void,
): Promise<RunView> {
  if (mapping.direction === "pull") throw new AppError("validation_failed", `Mapping ${mapping.name} only pulls`);
  const entity = services.registry.require(mapping.entity);
  // Record ids are uuids: anything else names no record (and must not reach the database as a bad uuid).
  if (!isUuid(recordId)) throw new AppError("not_found", `No ${entity.name} record ${recordId}`);
  const { rows } = await services.knex.raw(
    `SELECT * FROM ${entityTable(entity.name)} WHERE id = ?::uuid AND deleted_at IS NULL`,
    [recordId],
  );
  if (!rows[0]) throw new AppError("not_found", `No ${entity.name} record ${recordId}`);
  const side = { connection: mapping.connection, stream: mapping.stream, entity: entity.name };
  const link = (await linksByRecord(services.knex, side, [recordId])).get(recordId);
  return asReplayRun(
    services,
    mapping,
    startedBy,
    (mr, session) =>
      pushPage(mr, session, [{ record: rowToRecord(entity, rows[0]), link }], 1, USER_RETRY, undefined, true),
    onFailure,
  );
}

/**
 * Runs `work` as a replay run of the mapping's stream of its own; a failure ends the run as failed, and is handed
 * to `onFailure` (a caller deciding whether to try again needs more than the run's message).
 */
async function asReplayRun(
  services: SyncServices,
  mapping: SyncMapping,
  startedBy: string | null,
  work: (mr: MappingRun, session: ConnectorSession) => Promise<unknown>,
  onFailure?: (error: unknown) => void,
): Promise<RunView> {
  const run = await openRun(services, {
    connection: mapping.connection,
    streams: [mapping.stream],
    mode: "replay",
    trigger: "replay",
    startedBy,
  });
  try {
    await work(await run.mappingRun(mapping), run.session());
    await run.finish("succeeded");
  } catch (e) {
    await run.finish("failed", runFailureMessage(e));
    onFailure?.(e);
  }
  return getRun(services.knex, run.runId);
}

/** Retries a dead letter: its record replayed through the mapping as it is now; the letter is closed as retried. */
export async function retryDeadLetter(
  services: SyncServices,
  id: string,
  by: string,
): Promise<{ deadLetter: DeadLetterView; run: RunView }> {
  const letter = await getDeadLetter(services.knex, id);
  if (letter.status !== "open") throw new AppError("conflict", `Dead letter ${id} is not open`);
  const run =
    letter.direction === "pull"
      ? await replayRecord(
          services,
          {
            connection: letter.connection,
            stream: letter.stream,
            externalKey: letter.externalKey ?? "",
            payload: letter.payload as Record<string, unknown>,
          },
          by,
        )
      : await replayRecord(services, { mapping: letter.mapping, recordId: letter.recordId ?? "" }, by);
  const current = await getDeadLetter(services.knex, id);
  // A run that failed before it reached the record (the ERP unreachable, a refused login) settles nothing: the
  // letter stays open, and the record waits for the next retry.
  return {
    deadLetter:
      current.status === "open" && run.status === "succeeded"
        ? await closeDeadLetter(services.knex, letter.id, "retried", by)
        : current,
    run,
  };
}
