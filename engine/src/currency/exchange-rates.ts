import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { baseCurrency } from "./currencies";
import { recomputeMoneyRollups } from "./money-rollups";

/** One dated rate: one unit of `currency` is worth `rate` units of the base currency from `validFrom` on. */
export interface ExchangeRate {
  id: string;
  currency: string;
  validFrom: string;
  rate: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string | null;
  updatedAt: string;
}

export interface RateQuery {
  currency?: string;
  from?: string;
  to?: string;
}

const of = (r: Record<string, unknown>): ExchangeRate => ({
  id: String(r.id),
  currency: r.currency as string,
  validFrom: r.valid_from as string,
  rate: r.rate as string,
  createdBy: r.created_by as string,
  createdAt: r.created_at as string,
  updatedBy: (r.updated_by as string | null) ?? null,
  updatedAt: r.updated_at as string,
});

/** Rates by currency, newest first; `from`/`to` bound `validFrom` (inclusive). */
export async function listRates(knex: Knex, query: RateQuery): Promise<ExchangeRate[]> {
  const q = knex("kehu.exchange_rates").orderBy([{ column: "currency" }, { column: "valid_from", order: "desc" }]);
  if (query.currency) q.where({ currency: query.currency });
  if (query.from) q.where("valid_from", ">=", query.from);
  if (query.to) q.where("valid_from", "<=", query.to);
  return (await q).map(of);
}

const idOf = (id: string) => {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) throw new AppError("not_found", `No exchange rate ${id}`);
  return id;
};

async function assertRatedCurrency(trx: Knex, code: string): Promise<void> {
  const row = await trx("kehu.currencies").where({ code }).first("active");
  if (!row)
    throw new AppError("validation_failed", `No currency ${code}`, [
      { path: "/currency", message: "unknown currency" },
    ]);
  if (code === (await baseCurrency(trx)))
    throw new AppError("validation_failed", `${code} is the base currency; its rate is always 1`, [
      { path: "/currency", message: "is the base currency" },
    ]);
}

/** A duplicate (currency, validFrom) as a 409 naming both, instead of the constraint's text. */
async function uniquely<T>(currency: string, day: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if ((e as { code?: string }).code === "23505")
      throw new AppError("conflict", `A ${currency} rate valid from ${day} exists already; change that one`, [
        { path: "/validFrom", message: "a rate for this currency and day exists already" },
      ]);
    throw e;
  }
}

/** Every rate change recomputes the money roll-ups in its transaction, so stored totals never use stale rates. */
export async function createRate(
  knex: Knex,
  input: { currency: string; validFrom: string; rate: string },
  actor: string,
): Promise<ExchangeRate> {
  return knex.transaction(async (trx) => {
    await assertRatedCurrency(trx, input.currency);
    const [row] = await uniquely(input.currency, input.validFrom, () =>
      trx("kehu.exchange_rates")
        .insert({ currency: input.currency, valid_from: input.validFrom, rate: input.rate, created_by: actor })
        .returning("*"),
    );
    await recomputeMoneyRollups(trx);
    return of(row);
  });
}

export async function updateRate(
  knex: Knex,
  id: string,
  input: { validFrom?: string; rate?: string },
  actor: string,
): Promise<ExchangeRate> {
  return knex.transaction(async (trx) => {
    const current = await trx("kehu.exchange_rates")
      .where({ id: idOf(id) })
      .forUpdate()
      .first();
    if (!current) throw new AppError("not_found", `No exchange rate ${id}`);
    const patch: Record<string, unknown> = { updated_by: actor, updated_at: trx.fn.now() };
    if (input.validFrom !== undefined) patch.valid_from = input.validFrom;
    if (input.rate !== undefined) patch.rate = input.rate;
    const [row] = await uniquely(current.currency, input.validFrom ?? current.valid_from, () =>
      trx("kehu.exchange_rates").where({ id }).update(patch).returning("*"),
    );
    await recomputeMoneyRollups(trx);
    return of(row);
  });
}

export async function deleteRate(knex: Knex, id: string): Promise<void> {
  await knex.transaction(async (trx) => {
    const gone = await trx("kehu.exchange_rates")
      .where({ id: idOf(id) })
      .delete()
      .returning("id");
    if (!gone.length) throw new AppError("not_found", `No exchange rate ${id}`);
    await recomputeMoneyRollups(trx);
  });
}
