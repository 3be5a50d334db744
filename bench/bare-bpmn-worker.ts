// One process of bench/workflow's "bare bpmn-engine, two processes" line: prints "ready", waits for a line on stdin,
// runs BARE_INSTANCES bare instances (XML parsed once) and prints the seconds they took and its CPU-ms meanwhile.
import { once } from "node:events";
import { bare, parsedOnce } from "./bare-bpmn";

const n = Number(process.env.BARE_INSTANCES ?? 100);
const sourceContext = await parsedOnce();
await bare(5, sourceContext); // warm up the JIT as the in-process baseline is after the parsing run
process.stdout.write("ready\n");
process.stdin.resume();
await once(process.stdin, "data");
const cpu = process.cpuUsage();
const rate = await bare(n, sourceContext);
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(`${n / rate} ${(user + system) / 1000}\n`);
process.exit(0);
