import type { AppInstall } from "../apps/app-install";
import type { DecideConflict, MergeConflict, MergeSide } from "../apps/merge-conflict";
import { UsageError } from "./usage-error";

const SIDES: readonly MergeSide[] = ["template", "local"];

/** `--take`, repeatable: `template` or `local` for every conflict, `<conflict>=template|local` for one. */
export interface TakeDecisions {
  decide: DecideConflict;
  /** Conflicts named one by one, to check that each exists. */
  named: string[];
  /** Whether any --take was given (it only means something for an app package). */
  given: boolean;
}

export function parseTakes(takes: readonly string[] | undefined): TakeDecisions {
  let all: MergeSide | undefined;
  const one = new Map<string, MergeSide>();
  for (const take of takes ?? []) {
    const m = /^(?:([a-z][a-z0-9_.]*)=)?(.*)$/.exec(take) as RegExpExecArray;
    const side = m[2] as MergeSide;
    if (!SIDES.includes(side))
      throw new UsageError(
        `--take ${take}: say template or local, for all conflicts or as <conflict>=template|local`,
        "apply",
      );
    if (m[1]) one.set(m[1], side);
    else if (all && all !== side)
      throw new UsageError("--take template and --take local contradict each other", "apply");
    else all = side;
  }
  return { decide: (key) => one.get(key) ?? all, named: [...one.keys()], given: (takes ?? []).length > 0 };
}

/** What the app's install is: first install, upgrade, re-apply; local edits kept; entities left behind. */
export function appLines(install: AppInstall): string[] {
  const { manifest, installed, merge } = install;
  if (!installed || !merge) return [`Installing ${manifest.name} ${manifest.version}.`];
  const lines = [
    installed.version === manifest.version
      ? `${manifest.name} ${manifest.version} is installed; merging its template with local edits.`
      : `Upgrading ${manifest.name} ${installed.version} → ${manifest.version}, keeping local edits made since ${installed.version}.`,
  ];
  if (merge.keptLocal.length)
    lines.push(`Local edits kept (${merge.keptLocal.length}): ${merge.keptLocal.join(", ")}.`);
  for (const entity of merge.dropped)
    lines.push(`The template no longer defines ${entity}; it is kept with its data (delete it yourself if unused).`);
  return lines;
}

/** Each conflict with what was installed, what the template has and what is local now; decided ones say how. */
export function conflictLines(install: AppInstall): string[] {
  const conflicts = install.merge?.conflicts ?? [];
  if (!conflicts.length) return [];
  const version = install.manifest.version;
  const was = install.installed?.version ?? "";
  const open = conflicts.filter((c) => !c.taken).length;
  const lines = [
    open
      ? `${plural(conflicts.length, "conflict")} between the template ${version} and local edits (${open} undecided):`
      : `${plural(conflicts.length, "conflict")} between the template ${version} and local edits, all decided:`,
  ];
  for (const c of conflicts) {
    lines.push(`  ${c.key}: ${c.reason}${c.taken ? ` → taking ${c.taken}` : ""}`);
    if (c.taken) continue;
    const values: Array<[string, keyof MergeConflict]> = [
      [`installed ${was}`, "installed"],
      [`template ${version}`, "template"],
      ["local", "local"],
    ];
    const width = Math.max(...values.map(([label]) => label.length)) + 1;
    for (const [label, side] of values)
      if (side in c) lines.push(`      ${`${label}:`.padEnd(width)} ${shown(c[side])}`);
  }
  return lines;
}

/** Why nothing is applied while conflicts are open, and how to decide them. */
export function undecidedHint(open: number): string {
  return (
    `Nothing was applied: ${plural(open, "conflict")} to decide. Run again with --take <conflict>=template|local ` +
    "for each (repeatable), or --take template / --take local for all of them."
  );
}

/** `--take name=…` for a conflict the merge does not have: a typo would otherwise decide nothing silently. */
export function unknownTakes(install: AppInstall, named: readonly string[]): string[] {
  const keys = new Set(install.merge?.conflicts.map((c) => c.key));
  return named.filter((k) => !keys.has(k));
}

function shown(value: unknown): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
