import { describe, expect, it } from "vitest";
import { parseBatchReply } from "./batch-request";

const crlf = (lines: string[]) => lines.join("\r\n");

describe("parseBatchReply", () => {
  it("reads a created part inside a change set and a failed change set answered as one part (v1, quoted boundary)", () => {
    const text = crlf([
      "--batchresponse_1",
      "Content-Type: multipart/mixed; boundary=changesetresponse_a",
      "",
      "--changesetresponse_a",
      "Content-Type: application/http",
      "Content-Transfer-Encoding: binary",
      "Content-ID: 1",
      "",
      "HTTP/1.1 201 Created",
      "Location: https://sl:50000/b1s/v1/Orders(1045)",
      "Content-Type: application/json;odata=minimalmetadata;charset=utf-8",
      "",
      '{"DocEntry":1045,"NumAtCard":"k1"}',
      "--changesetresponse_a--",
      "--batchresponse_1",
      "Content-Type: application/http",
      "Content-Transfer-Encoding: binary",
      "",
      "HTTP/1.1 400 Bad Request",
      "Content-Type: application/json;odata=minimalmetadata;charset=utf-8",
      "",
      '{"error":{"code":-10,"message":{"lang":"en-us","value":"Invalid BP code"}}}',
      "--batchresponse_1--",
      "",
    ]);
    const parts = parseBatchReply({
      status: 202,
      headers: { "content-type": 'multipart/mixed; boundary="batchresponse_1"' },
      text,
    });
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({
      status: 201,
      headers: { location: "https://sl:50000/b1s/v1/Orders(1045)" },
      json: { DocEntry: 1045 },
    });
    expect(parts[1]).toMatchObject({ status: 400, json: { error: { code: -10 } } });
  });

  it("reads a 204 part without a body (v2, Prefer: return-no-content)", () => {
    const text = crlf([
      "--b",
      "Content-Type: multipart/mixed;boundary=c",
      "",
      "--c",
      "Content-Type: application/http",
      "Content-ID: 1",
      "",
      "HTTP/1.1 204 No Content",
      "Location: /b1s/v2/BusinessPartners('K1')",
      "",
      "",
      "--c--",
      "--b--",
    ]);
    const [part] = parseBatchReply({ status: 200, headers: { "content-type": "multipart/mixed;boundary=b" }, text });
    expect(part).toMatchObject({
      status: 204,
      json: undefined,
      headers: { location: "/b1s/v2/BusinessPartners('K1')" },
    });
  });
});
