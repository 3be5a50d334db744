// One process of bench/workflow's "bare bpmn-engine, two processes" line: prints "ready", waits for a line on stdin,
// runs BARE_INSTANCES bare instances (XML parsed once) and prints the seconds they took.
import { once } from "node:events";
import { bare, parsedOnce } from "./bare-bpmn";

const n = Number(process.env.BARE_INSTANCES ?? 100);
const sourceContext = await parsedOnce();
await bare(5, sourceContext); // warm up the JIT as the in-process baseline is after the parsing run
process.stdout.write("ready\n");
process.stdin.resume();
await once(process.stdin, "data");
const rate = await bare(n, sourceContext);
process.stdout.write(`${n / rate}\n`);
process.exit(0);
