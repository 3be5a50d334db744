import { classifyRetry } from "@kehu/connector-kit";
import { describe, expect, it } from "vitest";
import { networkFailure } from "./network-failure";

const socketError = (code: string, message: string) => Object.assign(new Error(message), { code });
const url = new URL("https://sap.example:50000/b1s/v2/Login");

describe("networkFailure", () => {
  it("makes a host DNS does not know a permanent address failure naming the host", () => {
    const error = networkFailure(socketError("ENOTFOUND", "getaddrinfo ENOTFOUND sap.example"), url, "POST", 0);
    expect(error).toMatchObject({
      kind: "address",
      message: "The SAP B1 host sap.example could not be found (DNS). Check the host name in baseUrl",
    });
    expect(classifyRetry(error).retryable).toBe(false);
  });

  it("keeps a DNS lookup that failed for now (EAI_AGAIN) retryable", () => {
    const error = networkFailure(socketError("EAI_AGAIN", "getaddrinfo EAI_AGAIN sap.example"), url, "POST", 0);
    expect(error).toMatchObject({ kind: "network" });
    expect(error.message).toMatch(/EAI_AGAIN/);
    expect(classifyRetry(error).retryable).toBe(true);
  });

  it("keeps a refused connection retryable, naming host:port and the refusals in a row", () => {
    const error = networkFailure(socketError("ECONNREFUSED", "connect ECONNREFUSED"), url, "POST /b1s/v2/Login", 4);
    expect(error.message).toBe(
      "Cannot reach the Service Layer at sap.example:50000 (POST /b1s/v2/Login): connection refused (4 attempts in a row); check the port in baseUrl and that the Service Layer is running",
    );
    expect(classifyRetry(error).retryable).toBe(true);
  });
});
