import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SapB1Simulator, startSapB1Simulator } from "./server";
import { SlTestClient } from "./sl-test-client";

type Part = { id: string; method: string; url: string; body?: unknown };

function batchBody(version: string, changesets: Part[][], gets: string[] = []): string {
  const lines: string[] = [];
  for (const parts of changesets) {
    lines.push("--batch_1", "Content-Type: multipart/mixed;boundary=changeset_1", "");
    for (const part of parts) {
      lines.push(
        "--changeset_1",
        "Content-Type: application/http",
        "Content-Transfer-Encoding: binary",
        `Content-ID: ${part.id}`,
        "",
      );
      lines.push(`${part.method} /b1s/${version}/${part.url}`, "Content-Type: application/json", "");
      lines.push(part.body === undefined ? "" : JSON.stringify(part.body));
    }
    lines.push("--changeset_1--");
  }
  for (const url of gets) {
    lines.push(
      "--batch_1",
      "Content-Type: application/http",
      "Content-Transfer-Encoding: binary",
      "",
      `GET /b1s/${version}/${url}`,
      "",
      "",
    );
  }
  lines.push("--batch_1--", "");
  return lines.join("\r\n");
}

const orderBody = (itemCode: string, quantity = 1) => ({
  CardCode: "C00001",
  DocumentLines: [{ ItemCode: itemCode, Quantity: quantity, WarehouseCode: "01" }],
});

describe.each([
  ["v1", 202],
  ["v2", 200],
] as const)("$batch on %s", (version, okStatus) => {
  let sim: SapB1Simulator;
  let client: SlTestClient;
  beforeAll(async () => {
    sim = await startSapB1Simulator({
      seed: "demo",
      sizes: { partners: 5, items: 10, orders: 0, invoices: 0, payments: 0 },
    });
    client = await SlTestClient.login(sim, version);
  });
  afterAll(() => sim.close());

  const send = (raw: string, boundary = "batch_1") =>
    client.request("POST", "$batch", { raw, headers: { "Content-Type": `multipart/mixed;boundary=${boundary}` } });

  it("creates and patches orders in one change set, referring to an earlier part by $Content-ID", async () => {
    const committed = () => sim.store.get("Items", "A000002")!.QuantityOrderedByCustomers;
    const before = committed() as number;
    const reply = await send(
      batchBody(
        version,
        [
          [
            { id: "1", method: "POST", url: "Orders", body: orderBody("A000002", 3) },
            { id: "2", method: "POST", url: "Orders", body: orderBody("A000003") },
            { id: "3", method: "PATCH", url: "$1", body: { Comments: "patched in batch" } },
          ],
        ],
        ["Orders?$select=DocEntry,Comments"],
      ),
    );
    expect(reply.status).toBe(okStatus);
    expect(reply.headers.get("content-type")).toMatch(/^multipart\/mixed;boundary=batchresponse_/);
    expect(reply.text.match(/HTTP\/1\.1 \d+ [A-Za-z ]+/g)).toEqual([
      "HTTP/1.1 201 Created",
      "HTTP/1.1 201 Created",
      "HTTP/1.1 204 No Content",
      "HTTP/1.1 200 OK",
    ]);
    expect(reply.text).toContain("Content-ID: 1");
    expect(sim.store.count("Orders")).toBe(2);
    expect(sim.store.get("Orders", 1)!.Comments).toBe("patched in batch");
    expect(committed()).toBe(before + 3);
  });

  it("creates nothing when one line of a change set is bad, answers one error part and stops", async () => {
    const count = sim.store.count("Orders");
    const committed = sim.store.get("Items", "A000002")!.QuantityOrderedByCustomers;
    const reply = await send(
      batchBody(version, [
        [
          { id: "1", method: "POST", url: "Orders", body: orderBody("A000002", 5) },
          { id: "2", method: "POST", url: "Orders", body: orderBody("NO-SUCH-ITEM") },
        ],
        [{ id: "3", method: "POST", url: "Orders", body: orderBody("A000002") }],
      ]),
    );
    expect(reply.status).toBe(okStatus);
    expect(reply.text.match(/HTTP\/1\.1 \d+/g)).toEqual(["HTTP/1.1 400"]);
    expect(reply.text).toContain("No matching records found (ODBC -2028)");
    expect(sim.store.count("Orders")).toBe(count);
    expect(sim.store.get("Items", "A000002")!.QuantityOrderedByCustomers).toBe(committed);
    const next = await client.request("POST", "Orders", { body: orderBody("A000002") });
    expect(next.body.DocEntry).toBe(count + 1);
  });

  it("answers a malformed batch with -1000 Incomplete Batch Request Body!", async () => {
    const reply = await send("--batch_1\r\nContent-Type: application/http\r\n\r\nGET /b1s/v1/Items\r\n");
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain("Incomplete Batch Request Body!");
    expect((await send(batchBody(version, [[]]), '"batch_1"')).status).toBe(400);
  });
});
