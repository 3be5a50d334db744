import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { AppError, isUuid } from "@kehu/core";
import { passwordProblem } from "../security/passwords";
import { createUser } from "../security/users";
import { openCliDatabase } from "./cli-database";
import { type CliIo, writeLines } from "./cli-io";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";
import { UsageError } from "./usage-error";

/** A CliIo that may hand in the text of stdin (tests); otherwise the process's stdin is read. */
export interface UserCliIo extends CliIo {
  readStdin?: () => Promise<string>;
}

/** `kehu user add [--admin] <login> [--department D]`: creates a user, the password read from stdin. */
export const userCommand: Command = {
  name: "user",
  synopsis: "user add [--admin] <login> [--department D] [--name N] [--email E]",
  summary: "create a user; the password is prompted for, or read from stdin",
  async run(argv, io: UserCliIo) {
    const { values, positionals } = parseCommandArgs(argv, {
      command: "user",
      options: {
        admin: { type: "boolean" },
        department: { type: "string" },
        name: { type: "string" },
        email: { type: "string" },
      },
      positionals: ["action", "login"],
    });
    const [action, login] = positionals as [string, string];
    if (action !== "add") throw new UsageError(`unknown action "${action}" (use add)`, "user");
    const password = firstLine(await (io.readStdin ?? readProcessStdin)());
    const problem = passwordProblem(password);
    if (problem) throw new AppError("validation_failed", `The password ${problem}`);
    const { db } = await openCliDatabase(io, true);
    try {
      const departmentId = values.department ? await findDepartment(db.knex, values.department) : null;
      const user = await createUser(db.knex, {
        login,
        displayName: values.name ?? login,
        email: values.email ?? null,
        isAdmin: values.admin ?? false,
        departmentId,
        password,
      });
      writeLines(io.stdout, `Created ${user.isAdmin ? "administrator" : "user"} "${user.login}" (${user.id}).`);
      return 0;
    } finally {
      await db.close();
    }
  },
};

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? "";
}

/** A department by id, code or name (a name must be unique). */
async function findDepartment(knex: import("knex").Knex, ref: string): Promise<string> {
  const rows = await knex("kehu.departments")
    .where((q) => {
      if (isUuid(ref)) q.orWhere("id", ref);
      q.orWhere("code", ref).orWhere("name", ref);
    })
    .pluck("id");
  if (rows.length === 1) return rows[0] as string;
  throw new AppError(
    "validation_failed",
    rows.length ? `Several departments are named "${ref}"; give its code or id` : `No department "${ref}"`,
  );
}

/** Prompts without echo on a terminal; otherwise reads everything piped in. */
async function readProcessStdin(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    return text;
  }
  process.stderr.write("Password: ");
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  const line = await new Promise<string>((resolve) => rl.once("line", resolve));
  rl.close();
  process.stderr.write("\n");
  return line;
}
