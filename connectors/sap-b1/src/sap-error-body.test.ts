import { describe, expect, it } from "vitest";
import { parseSapError, replyError } from "./sap-error-body";

describe("SL error bodies", () => {
  it("reads the v1 and the v2 shape alike", () => {
    const v1 =
      '{"error":{"code":-2039,"message":{"lang":"en-us","value":"Another user or another operation modified data"}}}';
    const v2 =
      '{"error":{"code":"-2028","details":[{"code":"","message":""}],"message":"No matching records found (ODBC -2028)"}}';
    expect(parseSapError(v1)).toEqual({ code: "-2039", message: "Another user or another operation modified data" });
    expect(parseSapError(v2)).toEqual({ code: "-2028", message: "No matching records found (ODBC -2028)" });
    expect(replyError({ status: 412, headers: {}, text: v1 }, "PATCH Orders").message).toBe(
      "SAP B1 error -2039 on PATCH Orders (HTTP 412): Another user or another operation modified data",
    );
  });

  it("turns the balancer's HTML page into one line of text and names an empty body", () => {
    const html =
      '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>502 Proxy Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n<p>The proxy server received an invalid\nresponse from an upstream server.<br />\n</p>\n</body></html>\n';
    expect(replyError({ status: 502, headers: {}, text: html }, "GET Items").message).toBe(
      "SAP B1 answered HTTP 502 on GET Items: 502 Proxy Error Proxy Error The proxy server received an invalid response from an upstream server.",
    );
    expect(replyError({ status: 500, headers: {}, text: "" }, "GET Items").message).toBe(
      "SAP B1 answered HTTP 500 on GET Items with an empty body",
    );
  });
});
