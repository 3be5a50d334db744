// The SAP B1 simulator in a process of its own for bench/sync, as a real SAP B1 is a separate server: the runner
// under test does not share its event loop and CPU time with the server it reads. The parent process seeds it
// (SIM_ITEMS, SIM_PARTNERS) and reads or changes its store through IPC messages (see sap-sim-process.ts).
import { startSapB1Simulator } from "../connectors/sap-b1/simulator/index";
import type { SimReply, SimRequest } from "./sap-sim-process";

const sim = await startSapB1Simulator({
  seed: "demo",
  sizes: {
    partners: Number(process.env.SIM_PARTNERS ?? 20),
    items: Number(process.env.SIM_ITEMS ?? 1000),
    orders: 0,
    invoices: 0,
    payments: 0,
  },
});

function answer(request: SimRequest): unknown {
  switch (request.op) {
    case "count":
      return sim.store.count(request.set);
    case "list":
      return sim.store.list(request.set);
    case "update":
      for (const { key, patch } of request.changes)
        sim.store.update(request.set, key, (row) => {
          Object.assign(row, patch);
          sim.store.touch(row);
        });
      return request.changes.length;
  }
}

process.on("message", (request: SimRequest) => {
  let reply: SimReply;
  try {
    reply = { id: request.id, ok: true, result: answer(request) };
  } catch (e) {
    reply = { id: request.id, ok: false, error: (e as Error).message };
  }
  process.send!(reply);
});
process.on("disconnect", () => {
  void sim.close().then(() => process.exit(0));
});
process.send!({ ready: sim.origin });
