import { randomBytes } from "node:crypto";
import {
  defaultCredentials,
  type KeyAndCert,
  type SapB1Simulator,
  selfSignedCert,
  startSapB1Simulator,
} from "@kehu/connector-sap-b1/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../../testing";

let engine: TestEngine;
let sim: SapB1Simulator;
let tls: KeyAndCert;
const secretKeyBefore = process.env.KEHU_SECRET_KEY;
beforeAll(async () => {
  process.env.KEHU_SECRET_KEY = randomBytes(32).toString("base64");
  engine = await startTestEngine();
  tls = selfSignedCert("localhost", "DNS:localhost,IP:127.0.0.1");
  sim = await startSapB1Simulator({ seed: "empty", tls });
});
afterAll(async () => {
  await sim?.close();
  await engine?.close();
  if (secretKeyBefore === undefined) delete process.env.KEHU_SECRET_KEY;
  else process.env.KEHU_SECRET_KEY = secretKeyBefore;
});

const sapConfig = () => ({
  baseUrl: sim.origin,
  companyDb: defaultCredentials.companyDB,
  userName: defaultCredentials.userName,
  password: defaultCredentials.password,
});

describe("/api/sync/connections to an SAP B1 Service Layer with a self-signed certificate", () => {
  it("keeps a multi-line caCertificate as typed (shown, not encrypted) and checks the connection over HTTPS", async () => {
    const body = { name: "sl_tls", connector: "sap-b1", config: { ...sapConfig(), caCertificate: tls.cert } };
    const created = await engine.http("/api/sync/connections", { method: "POST", body });
    expect(created.status).toBe(201);
    expect(created.body.config).toMatchObject({ caCertificate: tls.cert, password: "********" });
    expect((await engine.http("/api/sync/connections/sl_tls")).body.config.caCertificate).toBe(tls.cert);
    const raw = await engine.ctx.db.knex("kehu.sync_connections").where({ name: "sl_tls" }).first("config");
    const stored = typeof raw.config === "string" ? JSON.parse(raw.config) : raw.config;
    expect(stored.caCertificate).toBe(tls.cert);
    expect((await engine.http("/api/sync/connections/sl_tls/check", { method: "POST" })).body).toMatchObject({
      ok: true,
    });
  });

  it("reports an untrusted certificate on check in one line, and refuses a caCertificate that is no PEM", async () => {
    const untrusted = { name: "sl_untrusted", connector: "sap-b1", config: sapConfig() };
    expect((await engine.http("/api/sync/connections", { method: "POST", body: untrusted })).status).toBe(201);
    expect((await engine.http("/api/sync/connections/sl_untrusted/check", { method: "POST" })).body).toEqual({
      ok: false,
      message: expect.stringMatching(
        new RegExp(`^The SAP B1 server ${sim.origin} presented a certificate Kehu does not trust .*caCertificate`),
      ),
    });
    const garbage = {
      name: "sl_garbage",
      connector: "sap-b1",
      config: { ...sapConfig(), caCertificate: "see the mail from IT" },
    };
    const refused = await engine.http("/api/sync/connections", { method: "POST", body: garbage });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { path: "/config/caCertificate", message: "must match the pattern -----BEGIN CERTIFICATE-----" },
    ]);
  });
});
