import type {
  Catalog,
  CheckResult,
  Connector,
  ConnectorSession,
  ReadMessage,
  ReadOptions,
  StreamState,
  WriteOptions,
  WriteRecord,
  WriteResult,
} from "@kehu/connector-kit";
import { AppError, isAppError } from "@kehu/core";
import { resolveConfig, type SapB1Config, sapB1Spec } from "./sap-b1-config";
import { ServiceLayerClient } from "./service-layer-client";
import type { SapStream } from "./stream-definition";
import { sapStreams } from "./streams/all-streams";
import { businessPartnersStream, cardCodeFor } from "./streams/business-partners.stream";
import { salesOrdersStream } from "./streams/sales-orders.stream";

/**
 * SAP Business One over the Service Layer (v1 or v2): business partners, items, stock per warehouse, sales
 * orders, invoices, incoming payments and balances.
 *
 * @example
 * const session = sapB1Connector.open({ baseUrl: "https://sl:50000", companyDb: "SBODEMOUS", userName: "manager", password: "…" });
 * for await (const m of session.read("items", undefined)) if (m.type === "record") console.log(m.record.ItemCode);
 * await session.close();
 */
export const sapB1Connector: Connector<SapB1Config> = {
  spec: sapB1Spec,
  open: (config) => new SapB1Session(new ServiceLayerClient(resolveConfig(config))),
};

class SapB1Session implements ConnectorSession {
  constructor(private readonly client: ServiceLayerClient) {}

  async check(): Promise<CheckResult> {
    try {
      await this.client.login();
      await this.client.getJson("Warehouses?$select=WarehouseCode&$top=1");
      return { ok: true };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A config value the connector refuses (caCertificate) names its field.
      return isAppError(error) && error.issues.length
        ? { ok: false, message, issues: error.issues }
        : { ok: false, message };
    }
  }

  async discover(): Promise<Catalog> {
    const keyField = this.client.config.orderKeyField;
    return {
      streams: sapStreams.map(({ descriptor }) =>
        descriptor.name === salesOrdersStream.descriptor.name
          ? { ...descriptor, idempotencyKeyField: keyField }
          : descriptor,
      ),
    };
  }

  read(stream: string, state: StreamState | undefined, options: ReadOptions = {}): AsyncIterable<ReadMessage> {
    return streamNamed(stream).read({ client: this.client, signal: options.signal }, state);
  }

  async write(stream: string, records: WriteRecord[], options: WriteOptions = {}): Promise<WriteResult[]> {
    const target = streamNamed(stream);
    if (!target.write) throw new AppError("bad_request", `The SAP B1 stream "${stream}" is read-only (pull)`);
    return target.write({ client: this.client, signal: options.signal }, records);
  }

  createdKeyOf(stream: string, idempotencyKey: string): string | undefined {
    return stream === businessPartnersStream.descriptor.name ? cardCodeFor({ idempotencyKey, record: {} }) : undefined;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function streamNamed(name: string): SapStream {
  const stream = sapStreams.find((candidate) => candidate.descriptor.name === name);
  if (!stream) {
    const known = sapStreams.map((candidate) => candidate.descriptor.name).join(", ");
    throw new AppError("not_found", `The SAP B1 connector has no stream "${name}" (streams: ${known})`);
  }
  return stream;
}
