import { parseArgs } from "node:util";
import { selfSignedCert } from "./self-signed-cert";
import { startSapB1Simulator } from "./server";

/** `kehu sim sap-b1 --port N --seed demo|empty --items N --orders N [--tls]` */
export async function runSimulatorCli(argv: string[], print: (line: string) => void = console.log) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: "50000" },
      seed: { type: "string", default: "demo" },
      items: { type: "string" },
      orders: { type: "string" },
      partners: { type: "string" },
      tls: { type: "boolean", default: false },
    },
  });
  if (values.seed !== "demo" && values.seed !== "empty")
    throw new Error(`--seed must be demo or empty, got ${values.seed}`);
  const count = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const sizes = Object.fromEntries(
    Object.entries({
      items: count(values.items),
      orders: count(values.orders),
      partners: count(values.partners),
    }).filter(([, value]) => value !== undefined),
  );
  // Like a stock SL: HTTPS with a self-signed certificate, which a connection must be given to trust.
  const tls = values.tls ? selfSignedCert("localhost", "DNS:localhost,IP:127.0.0.1", 30) : undefined;
  const simulator = await startSapB1Simulator({ port: Number(values.port), seed: values.seed, sizes, tls });
  print(`SAP Business One Service Layer simulator: ${simulator.origin}/b1s/v1 and ${simulator.origin}/b1s/v2`);
  print(`Login: POST ${simulator.url}/Login {"CompanyDB":"SBODEMOCN","UserName":"manager","Password":"1234"}`);
  if (tls) print(`Self-signed certificate (the connection's caCertificate):\n${tls.cert.trim()}`);
  return simulator;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runSimulatorCli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
