import type { Hono } from "hono";
import { listen } from "../api/serve";
import { createEngine } from "../create-engine";
import { createLogger } from "../logger";
import { bootstrapAdminFromEnv } from "../security/bootstrap-admin";
import { countUsers } from "../security/users";
import { describeDatabase, openCliDatabase } from "./cli-database";
import { type CliIo, writeLines } from "./cli-io";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";
import { studioDir, studioHandler } from "./studio-static";
import { UsageError } from "./usage-error";

export const DEFAULT_PORT = 3000;

/** `--port`, else `PORT`, else 3000; 0 picks a free port. */
export function portOf(option: string | undefined, env: CliIo["env"]): number {
  const raw = option ?? env.PORT ?? String(DEFAULT_PORT);
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535)
    throw new UsageError(
      `${option !== undefined ? "--port" : "PORT"} must be a port number from 0 to 65535 (got "${raw}")`,
      "start",
    );
  return port;
}

/** Resolves with the name of the first SIGINT or SIGTERM; a second one ends the process at once. */
export function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const first = (signal: string) => {
      process.off("SIGINT", first);
      process.off("SIGTERM", first);
      process.once("SIGINT", () => process.exit(130));
      process.once("SIGTERM", () => process.exit(143));
      resolve(signal);
    };
    process.on("SIGINT", first);
    process.on("SIGTERM", first);
  });
}

/** The API under `/api`, the built studio (if any) everywhere else, or a redirect from `/` to the API docs. */
function rootFetch(app: Hono, studio: string | undefined): Pick<Hono, "fetch"> {
  const serveStudio = studio ? studioHandler(studio) : undefined;
  return {
    fetch: (request, env, executionCtx) => {
      const path = new URL(request.url).pathname;
      if (path === "/api" || path.startsWith("/api/")) return app.fetch(request, env, executionCtx);
      if (serveStudio) return serveStudio(request);
      if (path === "/") return Response.redirect(new URL("/api/docs", request.url).toString(), 302);
      return app.fetch(request, env, executionCtx);
    },
  };
}

/** `kehu start [--port N] [--host H]`: serves the API (and the studio) until SIGINT or SIGTERM. */
export const startCommand: Command = {
  name: "start",
  synopsis: "start [--port N] [--host H]",
  summary: `serve the API and the studio (port: --port, else PORT, else ${DEFAULT_PORT})`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      command: "start",
      options: { port: { type: "string", short: "p" }, host: { type: "string" } },
      positionals: [],
    });
    const port = portOf(values.port, io.env);
    const host = values.host ?? "127.0.0.1";
    const shutdown = (io.waitForShutdown ?? waitForSignal)();
    const { db, config } = await openCliDatabase(io);
    const engine = await createEngine(db, createLogger(io.env.KEHU_LOG_LEVEL ?? "info"), { jobs: true });
    const studio = studioDir(io.env);
    let server: Awaited<ReturnType<typeof listen>>;
    try {
      const admin = await bootstrapAdminFromEnv(engine.ctx.db.knex, io.env);
      if (admin) writeLines(io.stdout, `Created the administrator "${admin}" (KEHU_ADMIN_LOGIN).`);
      else if ((await countUsers(engine.ctx.db.knex)) === 0)
        writeLines(
          io.stdout,
          "No user yet: create one with `kehu user add --admin <login>` or set KEHU_ADMIN_LOGIN + KEHU_ADMIN_PASSWORD.",
        );
      server = await listen(rootFetch(engine.app as unknown as Hono, studio), port, host);
    } catch (e) {
      await engine.close();
      throw e;
    }
    const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
    const url = `http://${shownHost}:${server.port}`;
    writeLines(
      io.stdout,
      `Kehu is running at ${url} (API docs: ${url}/api/docs)`,
      `Database: ${describeDatabase(config)}`,
      studio ? `Studio: ${studio}` : "Studio: not built (no studio/dist); / shows the API docs",
      "Press Ctrl+C to stop.",
    );
    const signal = await shutdown;
    writeLines(io.stdout, `Stopping (${signal})…`);
    await server.close();
    await engine.close();
    writeLines(io.stdout, "Stopped.");
    return 0;
  },
};
