import { createReadStream, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { createEngine } from "../create-engine";
import { loadAccess } from "../security/load-access";
import { type Principal, SYSTEM_PRINCIPAL } from "../security/principal";
import { principalByLogin } from "../security/user-principal";
import { csvLine, UTF8_BOM } from "../transfer/csv-write";
import { type ImportResult, importRecords } from "../transfer/import-records";
import { ProgressMeter } from "../transfer/progress-meter";
import type { RowError } from "../transfer/row-errors";
import { readSheet, sheetFormatOf } from "../transfer/sheet-source";
import { openCliDatabase } from "./cli-database";
import { type CliIo, writeLines } from "./cli-io";
import { cliLogger } from "./cli-logger";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";
import { UsageError } from "./usage-error";

const SHOWN_ERRORS = 20;

/** `kehu import <entity> <file>`: a CSV or XLSX file into an entity, with a progress bar and the row report. */
export const importCommand: Command = {
  name: "import",
  synopsis:
    "import <entity> <file> [--mode all-or-nothing|skip-invalid] [--upsert-by F] [--map col=field ...] [--dry-run] [--as LOGIN] [--report FILE]",
  summary: "import a CSV or XLSX file into an entity; bad rows are reported by row and column",
  async run(argv, io) {
    const { rest, mapping } = takeMaps(argv);
    const { values, positionals } = parseCommandArgs(rest, {
      command: "import",
      options: {
        mode: { type: "string" },
        "upsert-by": { type: "string" },
        "dry-run": { type: "boolean" },
        as: { type: "string" },
        report: { type: "string" },
        sheet: { type: "string" },
        delimiter: { type: "string" },
        encoding: { type: "string" },
        "ignore-unknown": { type: "boolean" },
      },
      positionals: ["entity", "file"],
    });
    const mode = values.mode ?? "all-or-nothing";
    if (mode !== "all-or-nothing" && mode !== "skip-invalid")
      throw new UsageError(`--mode must be all-or-nothing or skip-invalid (got "${mode}")`, "import");
    const [entityName, file] = positionals as [string, string];
    const path = resolve(io.cwd, file);
    const format = sheetFormatOf("", path);
    if (!format) throw new UsageError(`${file} is neither .csv nor .xlsx`, "import");
    const size = fileSize(path, file);
    const { db } = await openCliDatabase(io);
    const engine = await createEngine(db, cliLogger(io));
    try {
      const entity = engine.ctx.registry.require(entityName);
      const principal = values.as ? await userPrincipal(db.knex, values.as) : SYSTEM_PRINCIPAL;
      const access = await loadAccess(engine.ctx, { ...principal, channel: "import" });
      const counter = { bytes: 0 };
      const meter = new ProgressMeter({ out: io.stderr, tty: isTty(io) }, size);
      const started = performance.now();
      const result = await importRecords(
        { knex: db.knex, registry: engine.ctx.registry, access, actor: principal.login },
        entity,
        readSheet(format, counted(createReadStream(path), counter), {
          sheet: values.sheet,
          delimiter: values.delimiter === "tab" ? "\t" : values.delimiter,
          encoding: values.encoding,
        }),
        {
          mode,
          upsertBy: values["upsert-by"],
          mapping,
          dryRun: values["dry-run"],
          ignoreUnknown: values["ignore-unknown"],
          onProgress: (rows) => meter.update(rows, counter.bytes),
        },
      );
      meter.finish();
      writeLines(io.stdout, summary(entity.name, file, result, mode, (performance.now() - started) / 1000));
      if (result.errors.length) report(io, result.errors, values.report);
      return result.errors.length ? 1 : 0;
    } finally {
      await engine.close();
    }
  },
};

/** `--map col=field` may repeat; node's parseArgs would keep only one. */
function takeMaps(argv: string[]): { rest: string[]; mapping?: Record<string, string> } {
  const rest: string[] = [];
  const mapping: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const inline = /^--map=(.*)$/s.exec(arg);
    if (arg !== "--map" && !inline) {
      rest.push(arg);
      continue;
    }
    const pair = inline ? inline[1] : argv[++i];
    const eq = pair?.lastIndexOf("=") ?? -1;
    if (pair === undefined || eq <= 0) throw new UsageError("--map takes <column>=<field>", "import");
    mapping[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { rest, mapping: Object.keys(mapping).length ? mapping : undefined };
}

function fileSize(path: string, shown: string): number {
  try {
    return statSync(path).size;
  } catch {
    throw new AppError("not_found", `No file ${shown}`);
  }
}

async function* counted(stream: AsyncIterable<Buffer>, counter: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    counter.bytes += chunk.length;
    yield chunk;
  }
}

async function userPrincipal(knex: Knex, login: string): Promise<Principal> {
  const user = await principalByLogin(knex, login, "import");
  if (!user?.active) throw new AppError("not_found", `No active user "${login}"`);
  return user.principal;
}

function isTty(io: CliIo): boolean {
  return (io.stderr as { isTTY?: boolean }).isTTY === true;
}

function summary(entity: string, file: string, r: ImportResult, mode: string, seconds: number): string {
  const counts = `${r.created} created, ${r.updated} updated, ${r.skipped} rows with errors`;
  const time = `${seconds.toFixed(1)} s`;
  if (!r.rolledBack) return `Imported ${file} into ${entity}: ${counts} (${time}).`;
  if (r.errors.length && mode === "all-or-nothing")
    return `Nothing was imported into ${entity}: ${r.skipped} rows of ${file} are not valid (all-or-nothing; ${time}).`;
  return `Dry run of ${file} into ${entity}: would be ${counts}; nothing was written (${time}).`;
}

function report(io: CliIo, errors: RowError[], file: string | undefined): void {
  const line = (e: RowError) =>
    `  row ${e.row}${e.column !== null ? `, column "${e.column}"` : ""}${e.field && e.field !== e.column ? ` (${e.field})` : ""}: ${e.message}`;
  writeLines(io.stderr, `${errors.length} errors:`, ...errors.slice(0, SHOWN_ERRORS).map(line));
  if (errors.length > SHOWN_ERRORS && !file)
    writeLines(io.stderr, `  … and ${errors.length - SHOWN_ERRORS} more; write them all with --report <file>`);
  if (!file) return;
  const text = errors.map((e) => csvLine([e.row, e.column, e.field, e.message])).join("");
  writeFileSync(resolve(io.cwd, file), UTF8_BOM + csvLine(["row", "column", "field", "message"]) + text);
  writeLines(io.stderr, `The full report (${errors.length} errors) is in ${file}.`);
}
