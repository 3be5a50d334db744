import type { BatchOperation, BatchPartReply } from "./batch-request";
import type { ServiceLayerClient, SlJson } from "./service-layer-client";

/**
 * Sends writes one request each (for companies where `$batch` is unwanted), in parallel up to the client's
 * concurrency. A failed request yields its error in place of a reply.
 */
export async function sendEach(
  client: ServiceLayerClient,
  operations: BatchOperation[],
  signal?: AbortSignal,
): Promise<(BatchPartReply | Error)[]> {
  return Promise.all(
    operations.map(async (operation): Promise<BatchPartReply | Error> => {
      try {
        const reply = await client.request(operation.method, operation.path, { body: operation.body, signal });
        const text = reply.text.trim();
        const headers = Object.fromEntries(
          Object.entries(reply.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(", ") : String(value ?? ""),
          ]),
        );
        return {
          status: reply.status,
          headers,
          text,
          json: text.startsWith("{") ? (JSON.parse(text) as SlJson) : undefined,
        };
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    }),
  );
}
