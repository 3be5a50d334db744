import type { Knex } from "knex";
import { quoteIdent } from "../storage/identifiers";
import type { Finding, RepairAction } from "./doctor-finding";

/**
 * Why a repair is not safe for the data as it is now, or undefined when it is: a type goes back only when every
 * value survives the round trip unchanged, NOT NULL only without nulls, a column is dropped only when empty.
 * Runs in a savepoint, so a value that does not convert at all is an answer, not a failed transaction.
 */
export async function precheckRefusal(
  knex: Knex,
  check: NonNullable<RepairAction["precheck"]>,
  actualType?: string,
): Promise<string | undefined> {
  const col = quoteIdent(check.column);
  const count = async (where: string, k: Knex = knex) => {
    const { rows } = await k.raw(`SELECT count(*)::int AS n FROM ${check.table} WHERE ${where}`);
    return Number(rows[0].n);
  };
  if (check.kind === "no_nulls") {
    const n = await count(`${col} IS NULL`);
    return n ? `${n} row${n === 1 ? " has" : "s have"} no value; fill them first` : undefined;
  }
  if (check.kind === "empty_column") {
    const n = await count(`${col} IS NOT NULL`);
    return n ? `it holds ${n} value${n === 1 ? "" : "s"}; Kehu never drops data: move or drop it yourself` : undefined;
  }
  try {
    const roundTrip = `((${col}::${check.type})::${actualType})::text`;
    const n = await knex.transaction((sp) =>
      count(`${col} IS NOT NULL AND ${roundTrip} IS DISTINCT FROM ${col}::text`, sp),
    );
    return n ? `${n} value${n === 1 ? "" : "s"} would change converting to ${check.type}` : undefined;
  } catch (e) {
    return `not every value converts to ${check.type} (${databaseMessage(e)})`;
  }
}

/** Drops the repair of each finding whose data is not safe to repair, saying why. */
export async function applyPrechecks(knex: Knex, findings: Finding[]): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const f of findings) {
    const check = f.repair?.precheck;
    const refusal = check ? await precheckRefusal(knex, check, f.actual) : undefined;
    out.push(refusal ? { ...f, repair: undefined, reason: refusal } : f);
  }
  return out;
}

/** The database's own words: knex puts the statement in front of them. */
export function databaseMessage(e: unknown): string {
  const message = (e as Error).message;
  const cut = message.lastIndexOf(" - ");
  return cut >= 0 ? message.slice(cut + 3) : message;
}
