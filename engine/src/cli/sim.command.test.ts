import { describe, expect, it } from "vitest";
import { captureIo } from "./capture-io";
import { simCommand } from "./sim.command";

describe("kehu sim", () => {
  it("starts the SAP B1 simulator, which answers a Service Layer login, and stops on shutdown", async () => {
    let stop: (signal: string) => void = () => {};
    const io = captureIo({ waitForShutdown: () => new Promise((resolve) => (stop = resolve)) });
    const running = simCommand.run(["sap-b1", "--port", "0", "--seed", "demo", "--items", "30"], io);
    let url: string | undefined;
    for (let i = 0; i < 100 && !url; i++) {
      url = /(http:\/\/\S+\/b1s\/v1)/.exec(io.out())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).toBeDefined();
    const login = await fetch(`${url}/Login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ CompanyDB: "SBODEMOCN", UserName: "manager", Password: "1234" }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get("set-cookie")).toMatch(/B1SESSION=/);
    stop("test");
    expect(await running).toBe(0);
  });

  it("refuses an unknown simulator with a usage line", async () => {
    await expect(simCommand.run(["oracle"], captureIo())).rejects.toThrow(/no simulator named "oracle"/);
  });
});
