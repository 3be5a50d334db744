import type { Knex } from "knex";
import { lockMetadata } from "../metadata/metadata-lock";
import { runSql } from "../metadata/run-sql";
import { compareSnapshots } from "./doctor-compare";
import { type Finding, isDrift } from "./doctor-finding";
import { applyPrechecks, databaseMessage, precheckRefusal } from "./doctor-prechecks";
import { takeDoctorSnapshots } from "./doctor-snapshots";

/** What `kehu doctor` found and, with `--repair`, what it fixed and what it could not. */
export interface DoctorReport {
  healthy: boolean;
  /** What is left after any repair; notices included. */
  findings: Finding[];
  repaired: Finding[];
  /** Repairs that were tried and failed, with the database's reason. */
  failed: Array<{ finding: Finding; error: string }>;
}

/** Compares the live database with what the stored metadata and Kehu's system steps say it should be. */
export async function diagnose(knex: Knex): Promise<Finding[]> {
  const findings = compareSnapshots(await takeDoctorSnapshots(knex));
  return applyPrechecks(knex, findings);
}

/**
 * Diagnoses, then (with `repair`) fixes every safely repairable finding in one transaction, each in a savepoint
 * so one that the database refuses is reported and the others still apply, and diagnoses again.
 */
export async function runDoctor(knex: Knex, opts: { repair?: boolean } = {}): Promise<DoctorReport> {
  const first = await diagnose(knex);
  if (!opts.repair || !first.some((f) => f.repair && isDrift(f)))
    return { healthy: !first.some(isDrift), findings: first, repaired: [], failed: [] };
  const { repaired, failed } = await repairFindings(knex, first);
  const findings = await diagnose(knex);
  return { healthy: !findings.some(isDrift), findings, repaired, failed };
}

async function repairFindings(knex: Knex, findings: Finding[]) {
  const repaired: Finding[] = [];
  const failed: Array<{ finding: Finding; error: string }> = [];
  const todo = findings.filter((f) => f.repair && isDrift(f)).sort((a, b) => a.repair!.order - b.repair!.order);
  await knex.transaction(async (trx) => {
    await lockMetadata(trx);
    const after = new Set<string>();
    for (const finding of todo) {
      const action = finding.repair!;
      // The data may have changed since the diagnosis: check again inside the repairing transaction.
      const refusal = action.precheck && (await precheckRefusal(trx, action.precheck, finding.actual));
      if (refusal) {
        failed.push({ finding, error: refusal });
        continue;
      }
      try {
        await trx.transaction(async (sp) => {
          for (const sql of action.sql) await runSql(sp, sql);
        });
        repaired.push(finding);
        for (const sql of action.after ?? []) after.add(sql);
      } catch (e) {
        failed.push({ finding, error: databaseMessage(e) });
      }
    }
    for (const sql of after) await runSql(trx, sql);
  });
  return { repaired, failed };
}
