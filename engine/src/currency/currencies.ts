import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { recomputeMoneyRollups } from "./money-rollups";

export type RoundingMode = "half_up" | "half_even";

/** A currency as the API shows it. `decimals` are its minor units (JPY 0, CNY 2, KWD 3). */
export interface Currency {
  code: string;
  label: { en?: string; zh?: string };
  decimals: number;
  rounding: RoundingMode;
  active: boolean;
  isBase: boolean;
}

export interface CurrencyInput {
  code?: string;
  label?: { en?: string; zh?: string };
  decimals?: number;
  rounding?: RoundingMode;
  active?: boolean;
}

const of = (row: Record<string, unknown>, base: string): Currency => ({
  code: row.code as string,
  label: row.label as Currency["label"],
  decimals: Number(row.decimals),
  rounding: row.rounding as RoundingMode,
  active: row.active as boolean,
  isBase: row.code === base,
});

/** The base currency's code: totals, roll-ups and reports are expressed in it. */
export async function baseCurrency(knex: Knex): Promise<string> {
  const row = await knex("kehu.currency_settings").where({ id: 1 }).first("base_currency");
  return row.base_currency as string;
}

/** The base currency as the API shows it. */
export async function getBaseCurrency(knex: Knex): Promise<Currency> {
  return getCurrency(knex, await baseCurrency(knex));
}

export async function listCurrencies(knex: Knex): Promise<Currency[]> {
  const base = await baseCurrency(knex);
  return (await knex("kehu.currencies").orderBy("code")).map((r) => of(r, base));
}

export async function getCurrency(knex: Knex, code: string): Promise<Currency> {
  const row = await knex("kehu.currencies").where({ code }).first();
  if (!row) throw new AppError("not_found", `No currency ${code}`);
  return of(row, await baseCurrency(knex));
}

export async function createCurrency(knex: Knex, input: CurrencyInput): Promise<Currency> {
  const exists = await knex("kehu.currencies").where({ code: input.code }).first("code");
  if (exists)
    throw new AppError("conflict", `The currency ${input.code} exists already; change it instead`, [
      { path: "/code", message: "exists already" },
    ]);
  await knex("kehu.currencies").insert({
    code: input.code,
    label: JSON.stringify(input.label),
    decimals: input.decimals,
    rounding: input.rounding ?? "half_up",
    active: input.active ?? true,
  });
  return getCurrency(knex, input.code as string);
}

/**
 * Changes a currency's label, minor units, rounding or active flag. The base currency cannot be deactivated. A
 * change of minor units or rounding recomputes the money roll-ups (their conversions round by these rules);
 * amounts already stored are kept as they are, only new input is checked against the new minor units.
 */
export async function updateCurrency(knex: Knex, code: string, input: CurrencyInput): Promise<Currency> {
  return knex.transaction(async (trx) => {
    const row = await trx("kehu.currencies").where({ code }).forUpdate().first();
    if (!row) throw new AppError("not_found", `No currency ${code}`);
    if (input.active === false && code === (await baseCurrency(trx)))
      throw new AppError("conflict", `${code} is the base currency and must stay active`, [
        { path: "/active", message: "the base currency must stay active" },
      ]);
    const patch: Record<string, unknown> = { updated_at: trx.fn.now() };
    if (input.label !== undefined) patch.label = JSON.stringify(input.label);
    for (const key of ["decimals", "rounding", "active"] as const)
      if (input[key] !== undefined) patch[key] = input[key];
    await trx("kehu.currencies").where({ code }).update(patch);
    const rounds =
      (input.decimals ?? row.decimals) !== row.decimals || (input.rounding ?? row.rounding) !== row.rounding;
    if (rounds) await recomputeMoneyRollups(trx);
    return getCurrency(trx, code);
  });
}

/**
 * Makes another (active) currency the base. Only while no exchange rate exists: rates are stated against the
 * base, so with rates the change would silently re-denominate them. Money roll-ups are recomputed in the same
 * transaction; if a child amount is in another currency than the new base it cannot be converted (no rates), and
 * the change is refused with the missing rate named.
 */
export async function setBaseCurrency(knex: Knex, code: string, actor: string): Promise<Currency> {
  return knex.transaction(async (trx) => {
    await trx("kehu.currency_settings").where({ id: 1 }).forUpdate().first();
    const target = await trx("kehu.currencies").where({ code }).first();
    if (!target)
      throw new AppError("validation_failed", `No currency ${code}`, [{ path: "/code", message: "unknown currency" }]);
    if (!target.active)
      throw new AppError("validation_failed", `${code} is not active`, [{ path: "/code", message: "is not active" }]);
    const [{ n }] = await trx("kehu.exchange_rates").count({ n: "*" });
    if (Number(n) > 0 && code !== (await baseCurrency(trx)))
      throw new AppError(
        "conflict",
        `The base currency can only change while no exchange rates exist (${n} do; they are stated against the current base). Delete them first.`,
      );
    await trx("kehu.currency_settings")
      .where({ id: 1 })
      .update({ base_currency: code, updated_at: trx.fn.now(), updated_by: actor });
    await recomputeMoneyRollups(trx);
    return getCurrency(trx, code);
  });
}
