import { X509Certificate } from "node:crypto";
import { request } from "node:https";
import { describe, expect, it } from "vitest";
import { runSimulatorCli } from "./main";

describe("sim CLI", () => {
  it("starts with the requested seed sizes and prints the service roots", async () => {
    const lines: string[] = [];
    const sim = await runSimulatorCli(["--port", "0", "--seed", "demo", "--items", "120", "--orders", "5"], (line) =>
      lines.push(line),
    );
    try {
      expect(lines[0]).toBe(`SAP Business One Service Layer simulator: ${sim.origin}/b1s/v1 and ${sim.origin}/b1s/v2`);
      expect(sim.store.count("Items")).toBe(120);
      expect(sim.store.count("Orders")).toBe(5);
      expect(sim.store.count("BusinessPartners")).toBeGreaterThanOrEqual(50);
    } finally {
      await sim.close();
    }
  });

  it("serves HTTPS with a fresh self-signed certificate on --tls and prints it", async () => {
    const lines: string[] = [];
    const sim = await runSimulatorCli(["--port", "0", "--seed", "empty", "--tls"], (line) => lines.push(line));
    try {
      expect(sim.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const printed = lines.find((line) => line.startsWith("Self-signed certificate"));
      const cert = new X509Certificate(printed?.slice(printed.indexOf("\n") + 1) ?? "");
      expect(cert.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
      const reply = await new Promise<number | undefined>((resolve, reject) =>
        request(`${sim.url}/Login`, { method: "POST", ca: cert.toString() }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
          .on("error", reject)
          .end("{}"),
      );
      expect(reply).toBe(401);
    } finally {
      await sim.close();
    }
  });

  it("refuses an unknown seed", async () => {
    await expect(runSimulatorCli(["--seed", "big"], () => {})).rejects.toThrow("--seed must be demo or empty");
  });
});
