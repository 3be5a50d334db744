import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KeyAndCert, type SapB1Simulator, selfSignedCert } from "../simulator";
import type { SapB1Config } from "./sap-b1-config";
import { sapB1Connector } from "./sap-b1-connector";
import { expiredSelfSignedCert } from "./testing/expired-cert";
import { startSimConnection } from "./testing/sim-connection";

const sizes = { items: 30, orders: 0, invoices: 0, payments: 0 };

/** TCP connections the server accepted: one per attempt, since a refused handshake leaves no socket to reuse. */
function countConnections(server: Server): () => number {
  let count = 0;
  server.on("connection", () => count++);
  return () => count;
}

async function pullItems(config: SapB1Config): Promise<number> {
  const session = sapB1Connector.open(config);
  try {
    let items = 0;
    for await (const message of session.read("items", undefined)) if (message.type === "record") items++;
    return items;
  } finally {
    await session.close();
  }
}

async function checkWith(config: SapB1Config) {
  const session = sapB1Connector.open(config);
  try {
    return await session.check();
  } finally {
    await session.close();
  }
}

describe("SAP B1 over HTTPS with the Service Layer's self-signed certificate", () => {
  let local: KeyAndCert;
  let sim: SapB1Simulator;
  let config: SapB1Config;

  beforeAll(async () => {
    local = selfSignedCert("localhost", "DNS:localhost,IP:127.0.0.1");
    ({ sim, config } = await startSimConnection("v2", { tls: local, sizes }));
  });
  afterAll(() => sim?.close());

  it("refuses the untrusted certificate at once, in one line naming the server and the fix, without retrying", async () => {
    const connections = countConnections(sim.server);
    const result = await checkWith({ ...config, retryAttempts: 6 });
    expect(result).toEqual({
      ok: false,
      message: `The SAP B1 server ${sim.origin} presented a certificate Kehu does not trust (self-signed certificate). Add its certificate (PEM) under caCertificate in the connection, or on a test system only set allowInvalidCertificate`,
    });
    expect(connections()).toBe(1);
    // A run fails the same way, on its first request.
    await expect(pullItems(config)).rejects.toThrow(/presented a certificate Kehu does not trust/);
    expect(connections()).toBe(2);
  });

  it("trusts the certificate given as caCertificate: check passes and items are pulled", async () => {
    expect(await checkWith({ ...config, caCertificate: local.cert })).toEqual({ ok: true });
    expect(await pullItems({ ...config, caCertificate: local.cert, pageSize: 10 })).toBe(30);
  });

  it("reads a certificate pasted with CRLF or with its line breaks lost in a one-line input", async () => {
    expect(await checkWith({ ...config, caCertificate: local.cert.replace(/\n/g, "\r\n") })).toEqual({ ok: true });
    expect(await checkWith({ ...config, caCertificate: local.cert.replace(/\n/g, " ") })).toEqual({ ok: true });
    expect(await checkWith({ ...config, caCertificate: local.cert.replace(/\n/g, "") })).toEqual({ ok: true });
  });

  it("keeps trusting the operator's NODE_EXTRA_CA_CERTS when a connection adds its own caCertificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kehu-extra-ca-"));
    const before = process.env.NODE_EXTRA_CA_CERTS;
    try {
      writeFileSync(join(dir, "extra.pem"), local.cert);
      process.env.NODE_EXTRA_CA_CERTS = join(dir, "extra.pem");
      const other = selfSignedCert("other.test", "DNS:other.test").cert;
      expect(await checkWith({ ...config, caCertificate: other })).toEqual({ ok: true });
    } finally {
      if (before === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts any certificate with allowInvalidCertificate", async () => {
    expect(await checkWith({ ...config, allowInvalidCertificate: true })).toEqual({ ok: true });
    expect(await pullItems({ ...config, allowInvalidCertificate: true })).toBe(30);
  });

  it("does not trust a certificate other than the server's", async () => {
    const other = selfSignedCert("localhost", "DNS:localhost,IP:127.0.0.1").cert;
    const result = await checkWith({ ...config, caCertificate: other });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/does not trust \(self-signed/) });
  });

  it.each([
    ["text that is no PEM", "my certificate", /^caCertificate is not a PEM certificate: paste the certificate text/],
    [
      "a private key",
      "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----",
      /^caCertificate is a private key; paste the server's certificate \(never its key\)$/,
    ],
    [
      "a damaged certificate",
      "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUZ\n-----END CERTIFICATE-----",
      /^caCertificate is not a readable certificate \(/,
    ],
  ])("refuses %s as caCertificate, naming the field, before connecting", async (_label, caCertificate, message) => {
    const connections = countConnections(sim.server);
    const result = await checkWith({ ...config, caCertificate });
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringMatching(message),
      issues: [{ path: "/config/caCertificate", message: expect.stringMatching(message) }],
    });
    expect(connections()).toBe(0);
  });

  it("names both sides of a host name mismatch, and tlsServerName fixes a server reached by IP", async () => {
    const named = selfSignedCert("sl.example.test", "DNS:sl.example.test");
    const { sim: byName, config: byIp } = await startSimConnection("v1", { tls: named, sizes });
    try {
      const connections = countConnections(byName.server);
      expect(await checkWith({ ...byIp, caCertificate: named.cert })).toEqual({
        ok: false,
        message: `The SAP B1 server ${byName.origin} presented a certificate for another name (it names DNS:sl.example.test, not 127.0.0.1). Use a host name the certificate carries in baseUrl, or set tlsServerName to it`,
      });
      expect(connections()).toBe(1);
      const fixed = { ...byIp, caCertificate: named.cert, tlsServerName: "sl.example.test" };
      expect(await checkWith(fixed)).toEqual({ ok: true });
      expect(await pullItems(fixed)).toBe(30);
    } finally {
      await byName.close();
    }
  });
});

describe("SAP B1 over HTTPS with an expired certificate", () => {
  it("says the certificate is out of date, even when trusted, and does not retry", async () => {
    const expired = expiredSelfSignedCert();
    const { sim, config } = await startSimConnection("v2", { tls: expired, sizes });
    try {
      const connections = countConnections(sim.server);
      expect(await checkWith({ ...config, caCertificate: expired.cert })).toEqual({
        ok: false,
        message: `The SAP B1 server ${sim.origin} presented a certificate that is out of date (certificate has expired). Renew the Service Layer certificate; on a test system only allowInvalidCertificate skips the check`,
      });
      expect(connections()).toBe(1);
    } finally {
      await sim.close();
    }
  });
});

describe("SAP B1 https:// against a plain HTTP port", () => {
  it("says the port does not speak TLS instead of retrying", async () => {
    const { sim, config } = await startSimConnection("v2", { sizes });
    try {
      const connections = countConnections(sim.server);
      const origin = sim.origin.replace("http:", "https:");
      expect(await checkWith({ ...config, baseUrl: origin })).toEqual({
        ok: false,
        message: `The SAP B1 server ${origin} does not answer TLS on that port. Check baseUrl: http:// or https://, and the port`,
      });
      expect(connections()).toBe(1);
    } finally {
      await sim.close();
    }
  });
});
