import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { MetadataRegistry } from "../metadata/registry";
import { deployWorkflow } from "../workflow/deployments";
import { ServiceLibrary } from "../workflow/service-library";
import { openCliDatabase } from "./cli-database";
import { type CliIo, writeLines } from "./cli-io";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";
import { UsageError } from "./usage-error";
import { workflowReplay, workflowTest } from "./workflow-test-run";

async function deploy(file: string, values: { key?: string; name?: string; entity?: string }, io: CliIo) {
  let xml: string;
  try {
    xml = readFileSync(resolve(io.cwd, file), "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`, "workflow");
  }
  const key =
    values.key ??
    basename(file)
      .replace(/\.bpmn(\.xml)?$/i, "")
      .toLowerCase();
  const { db } = await openCliDatabase(io, true);
  try {
    const registry = new MetadataRegistry(db.knex);
    await registry.refresh();
    const body = {
      key,
      xml,
      ...(values.name && { name: values.name }),
      ...(values.entity && { entity: values.entity }),
    };
    const { deployment, created } = await deployWorkflow(
      db.knex,
      { library: new ServiceLibrary(), registry },
      body,
      "cli",
    );
    writeLines(
      io.stdout,
      created
        ? `Deployed ${deployment.key} v${deployment.version}.`
        : `${deployment.key} v${deployment.version} already has this XML; nothing deployed.`,
    );
  } finally {
    await db.close();
  }
}

async function list(io: CliIo) {
  const { db } = await openCliDatabase(io, true);
  try {
    const rows = await db
      .knex("kehu.wf_deployments as d")
      .whereRaw("d.version = (SELECT max(version) FROM kehu.wf_deployments x WHERE x.key = d.key)")
      .orderBy("d.key")
      .select("d.key", "d.version", "d.name");
    if (!rows.length) writeLines(io.stdout, "No workflow deployed.");
    for (const r of rows) writeLines(io.stdout, `${r.key} v${r.version}${r.name ? `  ${r.name}` : ""}`);
  } finally {
    await db.close();
  }
}

/**
 * `kehu workflow deploy <file.bpmn> [--key K] [--name N] [--entity E]`, `kehu workflow list` and
 * `kehu workflow test <dir>` (the scenario files of an app package).
 */
export const workflowCommand: Command = {
  name: "workflow",
  synopsis:
    "workflow deploy <file.bpmn> [--key K] [--name N] [--entity E] | workflow list | workflow test <dir> [--replay KEY [--last N]]",
  summary:
    "deploy BPMN (checked as the API checks it), list the deployed workflows, run scenario files, or replay real instances on the package's XML",
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      command: "workflow",
      options: {
        key: { type: "string" },
        name: { type: "string" },
        entity: { type: "string" },
        replay: { type: "string" },
        last: { type: "string" },
      },
      positionals: ["action"],
      optionalPositionals: ["file"],
    });
    const [action, file] = positionals;
    if (action === "test") {
      if (!file) throw new UsageError("missing argument <dir> (an app package or its workflows folder)", "workflow");
      if (values.replay === undefined) return workflowTest(file, io);
      const last = Number(values.last ?? 10);
      if (!Number.isInteger(last) || last < 1)
        throw new UsageError("--last needs a whole number of instances", "workflow");
      return workflowReplay(file, values.replay, last, io);
    }
    if (action === "list") await list(io);
    else if (action === "deploy") {
      if (!file) throw new UsageError("missing argument <file.bpmn>", "workflow");
      await deploy(file, values, io);
    } else throw new UsageError(`unknown action "${action}" (use deploy, list or test)`, "workflow");
    return 0;
  },
};
