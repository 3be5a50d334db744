import { AppError } from "@kehu/core";
import { describe, expect, it } from "vitest";
import { captureIo } from "./capture-io";
import type { Command } from "./command";
import { COMMANDS, main, usage } from "./main";
import { errorLines } from "./report-error";

describe("kehu command line", () => {
  it("prints the usage for help, and exits 2 with it when no command is given", async () => {
    const help = captureIo();
    expect(await main(["--help"], help)).toBe(0);
    expect(help.out()).toBe(`${usage()}\n`);
    // Every form of every command is shown, each option whole, and nothing wraps on an 80-column terminal.
    const lines = usage().split("\n");
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    const shown = lines.map((l) => l.trim()).join(" ");
    for (const c of COMMANDS) for (const form of c.synopsis.split(" | ")) expect(shown).toContain(`kehu ${form}`);
    expect(lines).toContain("        [--take template|local|<conflict>=template|local ...]");
    const none = captureIo();
    expect(await main([], none)).toBe(2);
    expect(none.err()).toContain("Usage: kehu <command> [options]");
  });

  it("refuses an unknown command, a bad option or a missing argument in one line with the usage (exit 2)", async () => {
    const cases: Array<[string[], string, string]> = [
      [["deploy"], 'kehu: unknown command "deploy"', "Usage: kehu <command> [options]"],
      [["--frobnicate"], "kehu: unknown option --frobnicate", "Usage: kehu <command> [options]"],
      [
        ["apply"],
        "kehu: missing argument <dir>",
        "Usage: kehu apply <dir> [--dry-run] [--yes] [--breaks <keys>] [--take template|local|<conflict>=template|local ...]",
      ],
      [
        ["apply", "x", "--force"],
        "kehu: unknown option --force",
        "Usage: kehu apply <dir> [--dry-run] [--yes] [--breaks <keys>] [--take template|local|<conflict>=template|local ...]",
      ],
      [
        ["apply", "x", "--yes=1"],
        "kehu: option --yes takes no value",
        "Usage: kehu apply <dir> [--dry-run] [--yes] [--breaks <keys>] [--take template|local|<conflict>=template|local ...]",
      ],
      [["export", "a", "b"], 'kehu: unexpected argument "b"', "Usage: kehu export <dir>"],
      [["start", "--port"], "kehu: option --port needs a value", "Usage: kehu start [--port N] [--host H]"],
      [
        ["start", "--port", "http"],
        'kehu: --port must be a port number from 0 to 65535 (got "http")',
        "Usage: kehu start [--port N] [--host H]",
      ],
    ];
    for (const [argv, message, usageLine] of cases) {
      const io = captureIo();
      expect(await main(argv, io), argv.join(" ")).toBe(2);
      const [first, second] = io.err().split("\n");
      expect(first).toBe(message);
      expect(second).toBe(usageLine);
      expect(io.out()).toBe("");
    }
    const port = captureIo({ env: { PORT: "99999" } });
    expect(await main(["start"], port)).toBe(2);
    expect(port.err()).toMatch(/^kehu: PORT must be a port number/);
  });

  it("shows one command's usage with --help", async () => {
    const io = captureIo();
    expect(await main(["apply", "--help"], io)).toBe(0);
    expect(io.out()).toMatch(
      /^Usage: kehu apply <dir> \[--dry-run\] \[--yes\] \[--breaks <keys>\] \[--take [^\n]*\]\n/,
    );
  });

  it("prints an engine error as one line per issue, a stack trace only with KEHU_DEBUG=1", async () => {
    const failing: Command = {
      name: "fail",
      synopsis: "fail",
      summary: "",
      run: async () => {
        throw new AppError("validation_failed", "2 entity definition(s) are not valid", [
          { path: "/customer/fields/0/type", message: "must be one of …" },
          { path: "/contact/name", message: "is required" },
        ]);
      },
    };
    (COMMANDS as Command[]).push(failing);
    try {
      const io = captureIo();
      expect(await main(["fail"], io)).toBe(1);
      expect(io.err()).toBe(
        "error: 2 entity definition(s) are not valid\n  /customer/fields/0/type: must be one of …\n  /contact/name: is required\n",
      );
    } finally {
      (COMMANDS as Command[]).pop();
    }
    expect(errorLines(new Error("boom"), {})).toEqual(["error: boom"]);
    const debug = errorLines(new Error("boom"), { KEHU_DEBUG: "1" });
    expect(debug[0]).toBe("error: boom");
    expect(debug[1]).toMatch(/^Error: boom\n\s+at /);
  });

  it("says which database it could not open, with the password hidden", async () => {
    const io = captureIo({ env: { DATABASE_URL: "postgres://kehu:s3cret@127.0.0.1:1/nowhere" } });
    expect(await main(["migrate"], io)).toBe(1);
    expect(io.err()).toMatch(
      /^error: cannot open PostgreSQL at postgres:\/\/kehu:\*\*\*@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/,
    );
    expect(io.err()).not.toContain("s3cret");
    expect(io.err().trim().split("\n")).toHaveLength(1);
  });
});
