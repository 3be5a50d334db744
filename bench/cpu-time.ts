import { readFileSync } from "node:fs";

/** CPU time (user + system, ms) of one process so far, from /proc; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    return cpuOfStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return 0;
  }
}

/** CPU time (ms) of these processes so far, each read from /proc; a process gone counts 0. */
export function cpuMsOf(pids: Iterable<number>): number {
  let total = 0;
  for (const pid of pids) total += processCpuMs(pid);
  return total;
}

/** This process's CPU time so far (ms). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function cpuOfStat(stat: string): number {
  // Fields after the command name: state is 3rd; utime and stime are the 14th and 15th of the whole line.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
