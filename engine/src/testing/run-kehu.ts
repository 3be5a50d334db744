import { captureIo, keepOpen } from "../cli/capture-io";
import { main } from "../cli/main";
import type { Database } from "../storage/database";

/**
 * Runs a `kehu` command in-process on a test's database (left open), as a consultant would type it in `cwd`.
 *
 * @example
 * const r = await runKehu(engine.ctx.db, ["apply", "examples/building-materials"]);
 * // {code: 0, out: "Installing building-materials 1.0.0.\n…", err: ""}
 */
export async function runKehu(
  db: Database,
  argv: string[],
  cwd = process.cwd(),
): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ cwd, openDatabase: keepOpen(db) });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
