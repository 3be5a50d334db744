import { describe, expect, it } from "vitest";
import { defaultCredentials } from "../simulator";
import type { SapB1Config } from "./sap-b1-config";
import { sapB1Connector } from "./sap-b1-connector";
import { closedPort, notFoundServer } from "./testing/unreachable-servers";

const config = (baseUrl: string): SapB1Config => ({
  baseUrl,
  companyDb: defaultCredentials.companyDB,
  userName: defaultCredentials.userName,
  password: defaultCredentials.password,
  apiVersion: "v2",
  retryAttempts: 3,
});

async function firstReadError(settings: SapB1Config): Promise<Error> {
  const session = sapB1Connector.open(settings);
  try {
    for await (const _ of session.read("items", undefined)) {
      // the read is expected to fail before any record
    }
  } catch (error) {
    return error as Error;
  } finally {
    await session.close();
  }
  throw new Error("the read did not fail");
}

describe("SAP B1 with a baseUrl that names no Service Layer", () => {
  it("says a host name DNS does not know could not be found, as a failure no retry fixes", async () => {
    const error = await firstReadError(config("http://no-such-host.invalid:50000"));
    expect(error).toMatchObject({
      kind: "address",
      message: "The SAP B1 host no-such-host.invalid could not be found (DNS). Check the host name in baseUrl",
    });
  });

  it("retries a refused connection as many times as retryAttempts says, not that squared, naming host:port", async () => {
    const port = await closedPort();
    const error = await firstReadError(config(`http://127.0.0.1:${port}`));
    // The page request's retries do not log in again after the login used up its own retries.
    expect(error).toMatchObject({
      kind: "network",
      message: `Cannot reach the Service Layer at 127.0.0.1:${port} (POST /b1s/v2/Login): connection refused (3 attempts in a row); check the port in baseUrl and that the Service Layer is running`,
    });
  });

  it("says no Service Layer answers when the server at baseUrl answers 404 to the login, after one request", async () => {
    const web = await notFoundServer();
    try {
      const session = sapB1Connector.open(config(web.origin));
      const checked = await session.check();
      await session.close();
      expect(checked).toEqual({
        ok: false,
        message: `No SAP B1 Service Layer answers at ${web.origin}/b1s/v2: its Login answered HTTP 404: 404 Not Found Not Found. Check baseUrl: the Service Layer's address and port, e.g. https://sap-host:50000`,
      });
      expect(web.paths).toEqual(["POST /b1s/v2/Login"]);
    } finally {
      await web.close();
    }
  });
});
