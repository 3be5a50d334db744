import { userInfo } from "node:os";
import { resolve } from "node:path";
import { isAppError } from "@kehu/core";
import type { FormDefinition } from "@kehu/schema";
import { installAppAccess, type RoleSpec, readAppAccess } from "../apps/app-access";
import { type AppInstall, applyAppInstall, installedRecord, openConflicts, planAppInstall } from "../apps/app-install";
import { readAppManifest } from "../apps/app-manifest";
import { recordInstalledApp } from "../apps/installed-apps";
import { type AppDocuments, type RoleDocument, roleDocument } from "../apps/merge-app-documents";
import { type EntityFile, formatFileProblem, readEntityFiles } from "../apps/read-entity-files";
import { readFormFiles } from "../apps/read-form-files";
import { readWorkflowFiles, type WorkflowFile } from "../apps/read-workflow-files";
import { createEngine } from "../create-engine";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "../metadata/apply-entities";
import { splitDependentKeys } from "../metadata/dependent-keys";
import { appLines, conflictLines, parseTakes, type TakeDecisions, undecidedHint, unknownTakes } from "./apply-app";
import { applyDashboardsStep } from "./apply-dashboards";
import { applyFormsStep } from "./apply-forms";
import { applyMatricesStep } from "./apply-matrices";
import { applySyncStep } from "./apply-sync";
import { applyWorkflowsStep, planWorkflowsStep } from "./apply-workflows";
import { openCliDatabase } from "./cli-database";
import { type CliIo, writeLines } from "./cli-io";
import { cliLogger } from "./cli-logger";
import type { Command } from "./command";
import { impactLines } from "./impact-lines";
import { parseCommandArgs } from "./parse-command-args";
import { planCounts, planLines, planSummary } from "./plan-lines";
import { errorLines } from "./report-error";
import { UsageError } from "./usage-error";

/** Who a change made from the command line is recorded as. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return "cli";
  }
}

/**
 * `kehu apply <dir> [--dry-run] [--yes] [--breaks k1,k2] [--take …]`: creates or changes the entities of an app
 * folder; `--breaks` names dependants (as the plan lists them) the change may break on purpose, as the API's `breaks`.
 */
export const applyCommand: Command = {
  name: "apply",
  synopsis: "apply <dir> [--dry-run] [--yes] [--breaks <keys>] [--take template|local|<conflict>=template|local ...]",
  summary:
    "create or change entities, roles, forms, dashboards, sync mappings and workflows from an app folder (--yes confirms destructive steps; an installed app is upgraded keeping local edits, --take decides conflicts)",
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      command: "apply",
      options: {
        "dry-run": { type: "boolean" },
        yes: { type: "boolean", short: "y" },
        breaks: { type: "string" },
        take: { type: "string", multiple: true },
      },
      positionals: ["dir"],
    });
    const opts = {
      dryRun: values["dry-run"] ?? false,
      yes: values.yes ?? false,
      breaks: splitDependentKeys(values.breaks ?? ""),
      takes: parseTakes(values.take),
    };
    return applyDir(positionals[0], opts, io);
  },
};

async function applyDir(
  dir: string,
  opts: { dryRun: boolean; yes: boolean; breaks: string[]; takes: TakeDecisions },
  io: CliIo,
): Promise<number> {
  const started = performance.now();
  const folder = resolve(io.cwd, dir);
  // Files are checked before the database is opened (a typo costs no start-up time and creates no data dir);
  // reference targets are checked once the database says which entities exist.
  const early = readEntityFiles(folder, () => true);
  const { manifest, problems: manifestProblems } = readAppManifest(folder);
  const workflows = readWorkflowFiles(folder);
  const fileErrors = [...manifestProblems, ...early.problems, ...workflows.problems];
  if (fileErrors.length) return fileProblems(io, fileErrors, dir);
  if (!manifest && opts.takes.given)
    throw new UsageError(
      `--take decides upgrade conflicts of an app package, and ${dir} has no kehu.app.yaml`,
      "apply",
    );

  const { db } = await openCliDatabase(io);
  const engine = await createEngine(db, cliLogger(io));
  try {
    const { files, problems } = readEntityFiles(folder, (n) => engine.ctx.registry.has(n));
    if (problems.length) return fileProblems(io, problems, dir);
    const shown = files.map((f) => ({ ...f, file: displayPath(f.file, dir, io.cwd) }));
    writeLines(io.stdout, `Read ${files.length} entit${files.length === 1 ? "y" : "ies"} from ${dir}; planning…`);

    let definitions = files.map((f) => f.definition);
    // An app package (kehu.app.yaml) is recorded as installed; applying it again merges with local edits.
    const app =
      manifest &&
      (await planAppInstall(engine.ctx, manifest, definitions, opts.takes.decide, templateDocuments(folder)));
    if (app) {
      const refused = appRefusal(app, opts.takes, io);
      if (refused !== undefined) return refused;
      definitions = app.definitions;
    }
    const fileOf = (entity: string) => shown.find((f) => f.definition.name === entity)?.file;
    const names = definitions.map((d) => d.name);
    let preview: Awaited<ReturnType<typeof applyEntities>>;
    try {
      preview = await applyEntities(engine.ctx, definitions, { dryRun: true, actor: cliActor(), breaks: opts.breaks });
    } catch (e) {
      return engineProblems(io, e, shown);
    }
    writeLines(io.stdout, ...planLines(names, preview.plans, fileOf), ...impactLines(preview.impact));
    const counts = planCounts(preview.plans);
    const summary = `${planSummary(counts)}, ${counts.destructive} destructive`;
    if (opts.dryRun) {
      await planWorkflowsStep(engine.ctx, workflows.files, io);
      writeLines(io.stdout, `Dry run: nothing was applied (${summary}).`);
      return 0;
    }
    if (counts.steps === 0) {
      writeLines(io.stdout, "Nothing to apply: every entity is up to date.");
      if (app) await recordInstalledApp(engine.ctx.db.knex, installedRecord(app), cliActor());
      return await installAccess(engine.ctx, folder, workflows.files, io, dir, app?.mergedDocuments);
    }
    const blocking = [...new Set(preview.impact.filter((e) => e.resolution === "blocking").map((e) => e.key))];
    if (blocking.length) {
      writeLines(
        io.stderr,
        `Refused: the change would break ${blocking.length} dependant${blocking.length === 1 ? "" : "s"} (marked ✗). ` +
          `Fix ${blocking.length === 1 ? "it" : "them"} in the same files, or break ${blocking.length === 1 ? "it" : "them"} on purpose with --breaks ${blocking.join(",")}`,
      );
      return 1;
    }
    if (counts.destructive > 0 && !opts.yes) {
      writeLines(
        io.stderr,
        `Refused: ${counts.destructive} destructive step${counts.destructive === 1 ? "" : "s"} (marked !) would drop data. ` +
          "Review the plan, then run again with --yes to apply (dropped values are archived).",
      );
      return 1;
    }
    writeLines(io.stdout, `Applying (${summary})…`);
    let result: Awaited<ReturnType<typeof applyEntities>>;
    try {
      const how = { confirm: opts.yes, actor: cliActor(), breaks: opts.breaks };
      result = app ? await applyAppInstall(engine.ctx, app, how) : await applyEntities(engine.ctx, definitions, how);
    } catch (e) {
      return engineProblems(io, e, shown);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const revisions = result.revisions.length
      ? ` (revision${result.revisions.length === 1 ? "" : "s"} ${result.revisions.join(", ")})`
      : "";
    writeLines(io.stdout, `Applied ${planSummary(counts)} in ${seconds} s${revisions}.`);
    return await installAccess(engine.ctx, folder, workflows.files, io, dir, app?.mergedDocuments);
  } finally {
    await engine.close();
  }
}

/** Prints how the app is installed or upgraded; refuses (exit 1) while a conflict is undecided. */
function appRefusal(app: AppInstall, takes: TakeDecisions, io: CliIo): number | undefined {
  writeLines(io.stdout, ...appLines(app), ...conflictLines(app));
  const unknown = unknownTakes(app, takes.named);
  if (unknown.length) {
    const known = app.merge?.conflicts.map((c) => c.key).join(", ") || "none";
    writeLines(io.stderr, `--take ${unknown.join(", ")}: no such conflict (conflicts: ${known}). Nothing was applied.`);
    return 1;
  }
  const open = openConflicts(app).length;
  if (!open) return undefined;
  writeLines(io.stderr, undecidedHint(open));
  return 1;
}

/**
 * Installs the app's departments and roles once its entities are in force, then its forms, dashboards and workflows.
 * `merged` (an installed app) holds the roles and forms merged with local edits, to apply instead of the files'.
 */
async function installAccess(
  ctx: EngineContext,
  folder: string,
  workflows: WorkflowFile[],
  io: CliIo,
  dir: string,
  merged?: AppDocuments,
): Promise<number> {
  const show = (f: string) => displayPath(f, dir, io.cwd);
  const mergedForm = merged && ((f: FormDefinition) => merged.forms.find((m) => m.name === f.name));
  const forms = async () =>
    (await applyFormsStep(ctx, folder, cliActor(), io, show, mergedForm)) ||
    (await applyDashboardsStep(ctx, folder, cliActor(), io, show)) ||
    (await applyMatricesStep(ctx, folder, cliActor(), io, show)) ||
    (await applySyncStep(ctx, folder, io)) ||
    applyWorkflowsStep(ctx, workflows, cliActor(), io, show);
  try {
    const files = readAppAccess(folder);
    const access = merged ? { ...files, roles: mergedRoles(files.roles, merged.roles) } : files;
    if (!access.departments.length && !access.roles.length) return await forms();
    const done = await installAppAccess(ctx, access);
    writeLines(io.stdout, `Departments: ${done.departments}, roles: ${done.roles} (created or updated).`);
    return await forms();
  } catch (e) {
    const lines = isAppError(e) ? e.issues.map((i) => `${i.path}: ${i.message}`) : [];
    writeLines(io.stderr, ...errorLines(e, io.env), ...lines, "The entities were applied; the roles were not.");
    return 1;
  }
}

/** The package's forms and roles as its files have them; undefined when a file cannot be read (reported later). */
function templateDocuments(folder: string): AppDocuments | undefined {
  try {
    const forms = readFormFiles(folder);
    if (forms.problems.length) return undefined;
    return {
      forms: forms.files.map((f) => f.value),
      roles: readAppAccess(folder).roles.map(({ file: _, ...spec }) => roleDocument(spec)),
    };
  } catch {
    return undefined;
  }
}

/** The role files with their merged content; a role deleted locally (not in `merged`) is left alone. */
function mergedRoles(files: RoleSpec[], merged: RoleDocument[]): RoleSpec[] {
  return files.flatMap((spec) => {
    const role = merged.find((r) => r.name === spec.name);
    if (!role) return [];
    return [{ file: spec.file, ...role, label: role.label ?? undefined, description: role.description ?? undefined }];
  });
}

/** A path as the user would type it: under the dir they named. */
function displayPath(absolute: string, dir: string, cwd: string): string {
  const base = resolve(cwd, dir);
  return absolute.startsWith(base) ? dir.replace(/\/+$/, "") + absolute.slice(base.length) : absolute;
}

function fileProblems(io: CliIo, problems: Parameters<typeof formatFileProblem>[0][], dir: string): number {
  const lines = problems.map((p) => formatFileProblem({ ...p, file: displayPath(p.file, dir, io.cwd) }));
  writeLines(
    io.stderr,
    ...lines,
    `${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was applied.`,
  );
  return 1;
}

/** An engine error, with issue paths (`/customer/fields/2/type`) mapped to the file that defines the entity. */
function engineProblems(io: CliIo, error: unknown, files: EntityFile[]): number {
  if (!isAppError(error) || error.issues.length === 0) {
    writeLines(io.stderr, ...errorLines(error, io.env), "Nothing was applied.");
    return 1;
  }
  const lines = error.issues.map((issue) => {
    const m = /^\/?([a-z][a-z0-9_]*)(\/.*)?$/.exec(issue.path);
    const file = m && files.find((f) => f.definition.name === m[1]);
    return file
      ? formatFileProblem({ file: file.file, path: m[2] ?? "/", message: issue.message })
      : `${issue.path}: ${issue.message}`;
  });
  writeLines(io.stderr, `error: ${error.message}`, ...lines, "Nothing was applied.");
  return 1;
}
