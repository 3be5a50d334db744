import { AppError, type Issue, pointer } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";

interface Money {
  amount: string;
  currency: string;
}

const isMoney = (v: unknown): v is Money =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as Money).amount === "string" &&
  typeof (v as Money).currency === "string";

const fractionDigits = (amount: string) => amount.split(".")[1]?.length ?? 0;

/**
 * Checks the money values of schema-valid records against `kehu.currencies`: the currency must be known and active,
 * and the amount may not have more fraction digits than the currency's minor units (JPY "100.5" is refused, not
 * rounded: nothing is silently changed). One query, only when there is a money value. Issues name
 * `<field>/currency` or `<field>/amount` under `pathOf(index, field)`.
 */
export async function moneyIssues(
  knex: Knex,
  entity: EntityDefinition,
  records: ReadonlyArray<Record<string, unknown>>,
  pathOf: (index: number, field: string) => string = (_i, f) => pointer(f),
): Promise<Issue[]> {
  const fields = entity.fields.filter((f) => f.type === "money");
  const values = records.flatMap((r, i) =>
    fields.flatMap((f) => (isMoney(r[f.name]) ? [{ i, field: f.name, money: r[f.name] as Money }] : [])),
  );
  if (!values.length) return [];
  const codes = [...new Set(values.map((v) => v.money.currency))];
  const rows: Array<{ code: string; decimals: number; active: boolean }> = await knex("kehu.currencies")
    .whereIn("code", codes)
    .select("code", "decimals", "active");
  const known = new Map(rows.map((r) => [r.code, r]));
  const issues: Issue[] = [];
  for (const { i, field, money } of values) {
    const currency = known.get(money.currency);
    const at = pathOf(i, field);
    if (!currency) issues.push({ path: `${at}/currency`, message: `unknown currency "${money.currency}"` });
    else if (!currency.active)
      issues.push({ path: `${at}/currency`, message: `the currency ${money.currency} is not active` });
    else if (fractionDigits(money.amount) > currency.decimals)
      issues.push({
        path: `${at}/amount`,
        message: `${money.currency} amounts have at most ${currency.decimals} decimal places; got "${money.amount}"`,
      });
  }
  return issues;
}

/** Like `moneyIssues` for one record; throws one `validation_failed` naming every bad money value. */
export async function assertValidMoney(knex: Knex, entity: EntityDefinition, record: Record<string, unknown>) {
  const issues = await moneyIssues(knex, entity, [record]);
  if (issues.length)
    throw new AppError("validation_failed", `The ${entity.name} record has invalid money values`, issues);
}
