import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDemoUsers } from "../apps/demo-users";
import { seedEmptyEntities } from "../apps/seed-records";
import { createEngine, type Engine } from "../create-engine";
import { DEMO_LOGIN, DEMO_PASSWORD, ensureDemoAdmin } from "../security/bootstrap-admin";
import { applyCommand } from "./apply.command";
import { openCliDatabase } from "./cli-database";
import { type CliIo, writeLines } from "./cli-io";
import { cliLogger } from "./cli-logger";
import type { Command } from "./command";
import { startDemoSap } from "./demo-sap";
import { parseCommandArgs } from "./parse-command-args";
import { startCommand } from "./start.command";
import { UsageError } from "./usage-error";

const EXAMPLES = fileURLToPath(new URL("../../../examples/", import.meta.url));
export const DEFAULT_TEMPLATE = "building-materials";

/**
 * `kehu demo [<template>] [--port N] [--no-sap]`: applies an industry template with its seed data, starts the SAP B1
 * simulator with matching data and syncs the template's mappings once (unless --no-sap), then serves it.
 */
export const demoCommand: Command = {
  name: "demo",
  synopsis: "demo [<template>] [--port N] [--no-sap]",
  summary: `apply an example template (default ${DEFAULT_TEMPLATE}) with its seed data, sync it with a SAP B1 simulator, then start`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      command: "demo",
      options: { port: { type: "string", short: "p" }, "no-sap": { type: "boolean" } },
      positionals: [],
      optionalPositionals: ["template"],
    });
    const template = positionals[0] ?? DEFAULT_TEMPLATE;
    const dir = join(EXAMPLES, template);
    if (!existsSync(join(dir, "kehu.app.yaml")))
      throw new UsageError(`no template "${template}" in examples/ (try ${DEFAULT_TEMPLATE})`, "demo");
    const applied = await applyCommand.run([dir, "--yes"], io);
    if (applied !== 0) return applied;
    await seed(dir, io);
    // The simulator serves as long as Kehu does, so the studio's sync monitor can run more syncs against it.
    const sap = values["no-sap"] ? undefined : await startDemoSap(dir, io);
    try {
      return await startCommand.run(values.port === undefined ? [] : ["--port", values.port], io);
    } finally {
      await sap?.close();
    }
  },
};

async function seed(dir: string, io: CliIo): Promise<void> {
  const { db } = await openCliDatabase(io, true);
  const engine = await createEngine(db, cliLogger(io));
  try {
    // The demo administrator first: it is created only while no user exists.
    const adminLogin = !io.env.KEHU_ADMIN_LOGIN && (await ensureDemoAdmin(engine.ctx.db.knex));
    const users = await ensureDemoUsers(engine.ctx, dir, DEMO_PASSWORD);
    if (users.length) writeLines(io.stdout, `Demo users (password ${DEMO_PASSWORD}): ${users.join(", ")}.`);
    const loaded = await seedEmptyEntities(engine.ctx, dir, "demo", { live: true });
    const counts = Object.entries(loaded).map(([entity, n]) => `${n} ${entity}`);
    writeLines(io.stdout, counts.length ? `Seeded ${counts.join(", ")}.` : "Seed data already loaded.");
    // The seed's live records queued workflow starts; they run now, so their tasks wait in the inboxes at start.
    const started = await engine.ctx.workflows?.drainAllStarts();
    if (started?.ran)
      writeLines(io.stdout, `Workflows started for the seed's live records: ${await liveSummary(engine)}.`);
    if (started?.failed)
      writeLines(
        io.stderr,
        `${started.failed} workflow start(s) of the seed failed (GET /api/workflows/queued-starts).`,
      );
    if (adminLogin) writeLines(io.stdout, `Demo login: ${DEMO_LOGIN} / ${DEMO_PASSWORD}`);
  } finally {
    await engine.close();
  }
}

/** The running instances per workflow key, with the open tasks per user: what the demo's users find waiting. */
async function liveSummary(engine: Engine): Promise<string> {
  const knex = engine.ctx.db.knex;
  const instances: Array<{ key: string; n: string | number }> = await knex("kehu.wf_instances")
    .whereIn("status", ["running", "waiting"])
    .groupBy("key")
    .orderBy("key")
    .select("key")
    .count({ n: "*" });
  // An open task waits for its assignee, or for any of its candidates until one claims it.
  const tasks: Array<{ assignee: string | null; candidate_users: string[] }> = await knex("kehu.wf_tasks")
    .where({ status: "open" })
    .select("assignee", "candidate_users");
  const perUser = new Map<string, number>();
  for (const t of tasks)
    for (const login of t.assignee ? [t.assignee] : t.candidate_users)
      perUser.set(login, (perUser.get(login) ?? 0) + 1);
  const running = instances.map((i) => `${i.key} ${i.n}`).join(", ");
  const waiting = [...perUser]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([login, n]) => `${login} ${n}`)
    .join(", ");
  return waiting ? `${running}; open tasks: ${waiting}` : running;
}
