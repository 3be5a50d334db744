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

  it("refuses an unknown seed", async () => {
    await expect(runSimulatorCli(["--seed", "big"], () => {})).rejects.toThrow("--seed must be demo or empty");
  });
});
