import { doctorLines } from "../maintenance/doctor-lines";
import { runDoctor } from "../maintenance/run-doctor";
import { openCliDatabase } from "./cli-database";
import { writeLines } from "./cli-io";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";

/** `kehu doctor [--repair]`: compares the database with the metadata; exit 0 when healthy, 1 when drift remains. */
export const doctorCommand: Command = {
  name: "doctor",
  synopsis: "doctor [--repair] [--json]",
  summary: "compare the database with the metadata; --repair fixes what is safe",
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      command: "doctor",
      options: { repair: { type: "boolean" }, json: { type: "boolean" } },
      positionals: [],
    });
    const { db } = await openCliDatabase(io, values.json);
    try {
      const report = await runDoctor(db.knex, { repair: values.repair });
      if (values.json) writeLines(io.stdout, JSON.stringify(report, null, 2));
      else writeLines(io.stdout, ...doctorLines(report, values.repair ?? false));
      return report.healthy ? 0 : 1;
    } finally {
      await db.close();
    }
  },
};
