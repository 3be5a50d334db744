import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "@kehu/core";

/**
 * PGlite silently corrupts a data dir that two instances open, so one process owns it.
 * The lock file names the owner's pid; a lock left by a dead process is taken over.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "kehu.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(readFileSync(file, "utf8").trim());
      if (owner && owner !== process.pid && isAlive(owner))
        throw new AppError(
          "conflict",
          `The data dir ${dir} is in use by process ${owner}. Stop it first, or point KEHU_DATA_DIR elsewhere.`,
        );
      if (owner === process.pid) throw new AppError("conflict", `The data dir ${dir} is already open in this process.`);
      rmSync(file, { force: true });
    }
  }
  throw new AppError("conflict", `Could not lock the data dir ${dir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
