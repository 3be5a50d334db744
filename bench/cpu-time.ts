import { readFileSync } from "node:fs";
import type { Knex } from "knex";

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

/**
 * Starts counting the CPU of the PostgreSQL backends serving `database` (other databases' work on the server is not
 * the bench's); the function returned gives the CPU-ms they spent since. Reads /proc: the server must be local.
 */
export async function startDatabaseCpu(admin: Knex, database: string): Promise<() => Promise<number>> {
  const backends = async (): Promise<number[]> =>
    (await admin.raw("SELECT pid FROM pg_stat_activity WHERE datname = ?", [database])).rows.map(
      (r: { pid: number }) => r.pid,
    );
  const before = new Map((await backends()).map((pid) => [pid, processCpuMs(pid)]));
  return async () => {
    const pids = await backends();
    return cpuMsOf(pids) - pids.reduce((sum, pid) => sum + (before.get(pid) ?? 0), 0);
  };
}
