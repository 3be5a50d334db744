import type { StreamDescriptor } from "@kehu/connector-kit";
import type { EntityDefinition, SyncMapping } from "@kehu/schema";
import type { Referrer } from "../records/referrers";
import type { Access } from "../security/access";
import type { SyncServices } from "./sync-services";

/** One mapping at work in one run: what every page of it needs. */
export interface MappingRun {
  services: SyncServices;
  runId: string;
  connection: string;
  mapping: SyncMapping;
  entity: EntityDefinition;
  referrers: readonly Referrer[];
  access: Access;
  /** The stream as the connector describes it (cursor field, key), when discovered. */
  stream: StreamDescriptor | undefined;
  /** The key a pushed create gets when the connector derives it from the idempotency key (mappings that push). */
  createdKeyOf?: (idempotencyKey: string) => string | undefined;
}

/** The ledger/dead-letter side of a mapping run. */
export function runSide(run: MappingRun) {
  return {
    runId: run.runId,
    connection: run.connection,
    stream: run.mapping.stream,
    mapping: run.mapping.name,
    entity: run.entity.name,
  };
}

export function linkSide(run: MappingRun) {
  return { connection: run.connection, stream: run.mapping.stream, entity: run.entity.name };
}
