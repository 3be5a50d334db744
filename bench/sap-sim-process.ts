import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SapRecord } from "../connectors/sap-b1/simulator/index";

type EntitySet = "Items" | "BusinessPartners" | "Warehouses" | "Orders";

type SimOp =
  | { op: "count"; set: EntitySet }
  | { op: "list"; set: EntitySet }
  | { op: "update"; set: EntitySet; changes: Array<{ key: string; patch: Record<string, unknown> }> };
export type SimRequest = { id: number } & SimOp;
export type SimReply = { id: number } & ({ ok: true; result: unknown } | { ok: false; error: string });

/** The SAP B1 simulator running in a child process: its HTTP origin and a small control channel for the bench. */
export interface SimulatorProcess {
  origin: string;
  /** The simulator's process id, to read its CPU time. */
  pid: number;
  count(set: EntitySet): Promise<number>;
  list(set: EntitySet): Promise<SapRecord[]>;
  /** Sets fields of records and moves their update time, as a change in SAP does. */
  update(set: EntitySet, changes: Array<{ key: string; patch: Record<string, unknown> }>): Promise<number>;
  close(): Promise<void>;
}

/** Starts the simulator seeded with `items` items and `partners` partners in its own Node process. */
export async function startSimulatorProcess(sizes: { items: number; partners: number }): Promise<SimulatorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./sap-sim-child.ts", import.meta.url))],
    {
      env: { ...process.env, SIM_ITEMS: String(sizes.items), SIM_PARTNERS: String(sizes.partners) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    },
  );
  const origin = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { ready: string }).ready));
    child.once("exit", (code) => reject(new Error(`the simulator process exited (${code}) before it was ready`)));
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on("message", (m) => {
    const reply = m as SimReply;
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply.result);
    else w.reject(new Error(`simulator: ${reply.error}`));
  });
  let next = 0;
  const ask = <T>(request: SimOp): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...request, id });
    });
  return {
    origin,
    pid: child.pid!,
    count: (set) => ask({ op: "count", set }),
    list: (set) => ask({ op: "list", set }),
    update: (set, changes) => ask({ op: "update", set, changes }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}
