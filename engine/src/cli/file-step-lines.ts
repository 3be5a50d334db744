import { type FileProblem, formatFileProblem } from "../apps/read-entity-files";
import { type CliIo, writeLines } from "./cli-io";

export interface StepCounts {
  created: number;
  changed: number;
  unchanged: number;
}

/** A file step of `kehu apply` that found problems: one line each, then `n problems in <what> files; <outcome>`. */
export function fileStepProblems(
  io: CliIo,
  problems: FileProblem[],
  show: (file: string) => string,
  what: string,
  outcome: string,
): number {
  writeLines(
    io.stderr,
    ...problems.map((p) => formatFileProblem({ ...p, file: show(p.file) })),
    `${problems.length} problem${problems.length === 1 ? "" : "s"} in ${what} files; ${outcome}.`,
  );
  return 1;
}

/** `Forms: 1 created, 0 changed, 2 unchanged` */
export function countsText(label: string, c: StepCounts): string {
  return `${label}: ${c.created} created, ${c.changed} changed, ${c.unchanged} unchanged`;
}

export const hasAny = (c: StepCounts) => c.created + c.changed + c.unchanged > 0;
