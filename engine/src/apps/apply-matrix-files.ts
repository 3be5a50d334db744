import { isAppError } from "@kehu/core";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";
import { canonicalJson } from "../storage/canonical-json";
import { saveMatrix } from "../workflow/approval/approval-matrices";
import { parseApprovalMatrix } from "../workflow/approval/approval-matrix";
import type { FileProblem } from "./read-entity-files";
import { readMatrixFiles } from "./read-matrix-files";

/** What applying a package's approval matrices did, or the problems that stopped it (then nothing was written). */
export interface MatrixFilesResult {
  created: number;
  changed: number;
  unchanged: number;
  problems: FileProblem[];
}

class MatrixFailure extends Error {
  constructor(readonly problems: FileProblem[]) {
    super(problems[0]?.message);
  }
}

/**
 * Saves the approval matrices of `<dir>/workflows/<key>.matrix.yaml` once the entities, roles and users they name
 * exist. Every matrix is checked first (a problem names its file and path) and any problem stops all of them; the
 * writes happen in one transaction. An unchanged matrix keeps its revision, so applying twice changes nothing.
 */
export async function applyMatrixFiles(
  knex: Knex,
  registry: MetadataRegistry,
  dir: string,
  actor: string,
): Promise<MatrixFilesResult> {
  const result: MatrixFilesResult = { created: 0, changed: 0, unchanged: 0, problems: [] };
  const { files, problems } = readMatrixFiles(dir);
  if (problems.length) return { ...result, problems };
  try {
    await knex.transaction(async (trx) => {
      const found: FileProblem[] = [];
      for (const f of files)
        try {
          await parseApprovalMatrix(trx, registry, structuredClone(f.definition));
        } catch (e) {
          if (!isAppError(e)) throw e;
          found.push(
            ...(e.issues.length ? e.issues : [{ path: "/", message: e.message }]).map((i) => ({ file: f.file, ...i })),
          );
        }
      if (found.length) throw new MatrixFailure(found);
      for (const f of files) {
        const stored = await trx("kehu.approval_matrices").where({ key: f.key }).first("definition");
        if (stored && canonicalJson(stored.definition) === canonicalJson(f.definition)) {
          result.unchanged++;
          continue;
        }
        const mode = stored ? { create: false as const, key: f.key } : { create: true as const };
        await saveMatrix(trx, registry, f.definition, actor, mode);
        result[stored ? "changed" : "created"]++;
      }
    });
  } catch (e) {
    if (!(e instanceof MatrixFailure)) throw e;
    return { created: 0, changed: 0, unchanged: 0, problems: e.problems };
  }
  return result;
}
