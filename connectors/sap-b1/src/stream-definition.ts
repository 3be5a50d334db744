import type { ReadMessage, StreamDescriptor, StreamState, WriteRecord, WriteResult } from "@kehu/connector-kit";
import type { ServiceLayerClient } from "./service-layer-client";

export interface StreamContext {
  client: ServiceLayerClient;
  signal?: AbortSignal;
}

/** One stream of the SAP B1 connector: its catalog entry, how it reads, and (for push streams) how it writes. */
export interface SapStream {
  descriptor: StreamDescriptor;
  read(ctx: StreamContext, state: StreamState | undefined): AsyncIterable<ReadMessage>;
  write?(ctx: StreamContext, records: WriteRecord[]): Promise<WriteResult[]>;
}
