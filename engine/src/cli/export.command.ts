import { relative, resolve } from "node:path";
import { writeEntityFiles } from "../apps/write-entity-files";
import { createEngine } from "../create-engine";
import { openCliDatabase } from "./cli-database";
import { writeLines } from "./cli-io";
import { cliLogger } from "./cli-logger";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";

/** `kehu export <dir>`: writes every entity to `<dir>/entities/<name>.entity.yaml`, ready for `kehu apply`. */
export const exportCommand: Command = {
  name: "export",
  synopsis: "export <dir>",
  summary: "write every entity to <dir>/entities/<name>.entity.yaml",
  async run(argv, io) {
    const { positionals } = parseCommandArgs(argv, { command: "export", options: {}, positionals: ["dir"] });
    const dir = positionals[0];
    const { db } = await openCliDatabase(io);
    const engine = await createEngine(db, cliLogger(io));
    try {
      const entities = engine.ctx.registry.list();
      const folder = resolve(io.cwd, dir);
      const { files, others } = writeEntityFiles(folder, entities);
      const shown = (file: string) => `${dir.replace(/\/+$/, "")}/${relative(folder, file)}`;
      writeLines(io.stdout, ...files.map((f) => `  ${f.status.padEnd(9)} ${shown(f.file)}`));
      if (others.length)
        writeLines(io.stdout, ...others.map((f) => `  left      ${shown(f)} (no such entity; not deleted)`));
      const changed = files.filter((f) => f.status !== "unchanged").length;
      writeLines(
        io.stdout,
        `Exported ${files.length} entit${files.length === 1 ? "y" : "ies"} to ${dir} (${changed} written, ${files.length - changed} unchanged).`,
      );
      return 0;
    } finally {
      await engine.close();
    }
  },
};
