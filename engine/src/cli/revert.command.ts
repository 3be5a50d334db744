import { createEngine } from "../create-engine";
import { splitDependentKeys } from "../metadata/dependent-keys";
import { revertRevision } from "../metadata/revert-revision";
import { cliActor } from "./apply.command";
import { openCliDatabase } from "./cli-database";
import { type CliIo, writeLines } from "./cli-io";
import { cliLogger } from "./cli-logger";
import type { Command } from "./command";
import { impactLines } from "./impact-lines";
import { parseCommandArgs } from "./parse-command-args";
import { planLines } from "./plan-lines";
import { UsageError } from "./usage-error";

/** `kehu revert <revision-id> [--dry-run] [--yes] [--breaks k1,k2]`: undoes a metadata revision. */
export const revertCommand: Command = {
  name: "revert",
  synopsis: "revert <revision-id> [--dry-run] [--yes] [--breaks <keys>]",
  summary: "undo a metadata revision by applying its inverse, restoring archived data (--yes confirms drops)",
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      command: "revert",
      options: { "dry-run": { type: "boolean" }, yes: { type: "boolean", short: "y" }, breaks: { type: "string" } },
      positionals: ["revision-id"],
    });
    if (!/^\d{1,15}$/.test(positionals[0]))
      throw new UsageError(`revision id must be a number, not "${positionals[0]}"`, "revert");
    const breaks = splitDependentKeys(values.breaks ?? "");
    return revert(Number(positionals[0]), { dryRun: values["dry-run"] ?? false, yes: values.yes ?? false, breaks }, io);
  },
};

async function revert(id: number, opts: { dryRun: boolean; yes: boolean; breaks: string[] }, io: CliIo) {
  const { db } = await openCliDatabase(io);
  const engine = await createEngine(db, cliLogger(io));
  try {
    const base = { actor: cliActor(), breaks: opts.breaks };
    const preview = await revertRevision(engine.ctx, id, { ...base, dryRun: true });
    writeLines(
      io.stdout,
      `Revert revision ${id} of ${preview.entity}:`,
      ...planLines([], [preview.plan], () => undefined),
    );
    writeLines(io.stdout, ...impactLines(preview.impact));
    const destructive = preview.plan.steps.filter((s) => s.destructive).length;
    if (opts.dryRun) {
      writeLines(io.stdout, "Dry run: nothing was reverted.");
      return 0;
    }
    if (destructive && !opts.yes) {
      writeLines(
        io.stderr,
        `Refused: ${destructive} destructive step${destructive === 1 ? "" : "s"} (marked !) would drop data. ` +
          "Review the plan, then run again with --yes to revert (dropped values are archived).",
      );
      return 1;
    }
    const done = await revertRevision(engine.ctx, id, { ...base, confirm: opts.yes });
    writeLines(io.stdout, `Reverted revision ${id} of ${done.entity} (new revision ${done.revisions.join(", ")}).`);
    return 0;
  } finally {
    await engine.close();
  }
}
