import { type CliIo, writeLines } from "./cli-io";
import type { Command } from "./command";
import { waitForSignal } from "./start.command";
import { UsageError } from "./usage-error";

const SIMULATORS = ["sap-b1"] as const;

/** `kehu sim sap-b1 [--port N] [--seed demo|empty] [--items N] [--orders N] [--partners N] [--tls]`: an ERP simulator for tests and demos. */
export const simCommand: Command = {
  name: "sim",
  synopsis: "sim sap-b1 [--port N] [--seed demo|empty] [--items N] [--tls]",
  summary: "start the SAP Business One Service Layer simulator with demo data",
  async run(argv, io: CliIo) {
    const [which, ...rest] = argv;
    if (!SIMULATORS.includes(which as (typeof SIMULATORS)[number]))
      throw new UsageError(
        which ? `no simulator named "${which}" (known: ${SIMULATORS.join(", ")})` : "name a simulator: sap-b1",
        "sim",
      );
    const { runSimulatorCli } = await import("@kehu/connector-sap-b1/simulator/main");
    let simulator: Awaited<ReturnType<typeof runSimulatorCli>>;
    try {
      simulator = await runSimulatorCli(rest, (line) => writeLines(io.stdout, line));
    } catch (e) {
      throw new UsageError((e as Error).message.split("\n")[0], "sim");
    }
    const signal = await (io.waitForShutdown ?? waitForSignal)();
    writeLines(io.stdout, `Stopping (${signal})…`);
    await simulator.close();
    return 0;
  },
};
