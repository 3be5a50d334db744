import { createEngine } from "../create-engine";
import { applySyncFiles } from "../sync/apply-sync-files";
import type { ConnectorRegistry } from "../sync/connector-registry";
import { listDeadLetters } from "../sync/dead-letter-store";
import type { RunView } from "../sync/run-store";
import { runSync } from "../sync/run-sync";
import { loadSecretBox } from "../sync/secret-box";
import type { SyncProgress } from "../sync/sync-progress";
import { syncServicesOf } from "../sync/sync-services";
import { openCliDatabase } from "./cli-database";
import { type CliIo, type TextOutput, writeLines } from "./cli-io";
import { cliLogger } from "./cli-logger";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";
import { runCountsText } from "./run-counts-text";
import { syncStatusLines } from "./sync-status-lines";
import { UsageError } from "./usage-error";

/** A CliIo that may hand in the connectors (tests); otherwise the engine's own. */
export interface SyncCliIo extends CliIo {
  connectors?: ConnectorRegistry;
}

/** One line per committed page; on a terminal the line is redrawn in place. */
function progressPrinter(out: TextOutput & { isTTY?: boolean }) {
  const frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  let n = 0;
  return {
    page(e: SyncProgress) {
      const line = `${e.stream} ${e.direction} page ${e.page} · ${runCountsText(e.counts)}`;
      if (out.isTTY) out.write(`\r\x1b[2K${frames[n++ % frames.length]} ${line}`);
      else out.write(`${line}\n`);
    },
    end() {
      if (out.isTTY && n) out.write("\n");
    },
  };
}

/** `kehu sync run|status|apply`: runs a connection's mappings with a progress line, shows sync state, loads sync files. */
export const syncCommand: Command = {
  name: "sync",
  synopsis: "sync run <connection> [--stream s] [--full] | sync status | sync apply <dir>",
  summary: "run a sync connection with progress; show runs, dead letters and conflicts; load sync/*.yaml files",
  async run(argv, io: SyncCliIo) {
    const { values, positionals } = parseCommandArgs(argv, {
      command: "sync",
      options: { stream: { type: "string" }, full: { type: "boolean" } },
      positionals: ["action"],
      optionalPositionals: ["target"],
    });
    const [action, target] = positionals;
    if (!["run", "status", "apply"].includes(action))
      throw new UsageError(`unknown action "${action}" (use run, status or apply)`, "sync");
    if (action !== "status" && !target)
      throw new UsageError(`missing argument <${action === "run" ? "connection" : "dir"}>`, "sync");
    const { db } = await openCliDatabase(io, true);
    const engine = await createEngine(db, cliLogger(io));
    try {
      if (io.connectors) engine.ctx.connectors = io.connectors;
      const services = syncServicesOf(engine.ctx, { env: io.env, secrets: loadSecretBox(io.env, io.cwd) });
      if (action === "status") {
        writeLines(io.stdout, ...(await syncStatusLines(services.knex, target)));
        return 0;
      }
      if (action === "apply") {
        const saved = await applySyncFiles(services, target!);
        writeLines(
          io.stdout,
          `Saved ${saved.connections.length} connection(s) and ${saved.mappings.length} mapping(s): ${[...saved.connections, ...saved.mappings].join(", ")}`,
        );
        return 0;
      }
      return await runCommand(services, io, target!, values);
    } finally {
      await engine.close();
    }
  },
};

async function runCommand(
  services: ReturnType<typeof syncServicesOf>,
  io: SyncCliIo,
  connection: string,
  values: { stream?: string; full?: boolean },
): Promise<number> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  const printer = progressPrinter(io.stderr);
  const started = Date.now();
  let run: RunView;
  try {
    run = await runSync(services, {
      connection,
      streams: values.stream
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      full: values.full,
      trigger: "cli",
      startedBy: "cli",
      onProgress: (e) => printer.page(e),
      signal: abort.signal,
    });
  } finally {
    printer.end();
    process.off("SIGINT", stop);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  writeLines(io.stdout, `Run ${run.id} ${run.status} in ${seconds} s: ${runCountsText(run)}`);
  if (run.error) writeLines(io.stderr, `kehu: the run stopped: ${run.error}`);
  if (run.failed) {
    const dead = await listDeadLetters(services.knex, { runId: run.id, limit: 10 });
    writeLines(
      io.stderr,
      `${run.failed} record(s) failed and wait in the dead letters (kehu sync status, GET /api/sync/dead-letters?run=${run.id}):`,
      ...dead.map((d) => `  ${d.stream} ${d.externalKey ?? d.recordId ?? "?"}: ${d.reason}`),
    );
  }
  return run.status === "succeeded" && !run.failed ? 0 : 1;
}
