import { AppError } from "@kehu/core";
import type { Knex } from "knex";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failed logins allowed per account, and per client address, within the window. */
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_ADDRESS = 30;

export const accountKey = (login: string) => `login:${login.trim().toLowerCase()}`;
export const addressKey = (address: string) => `addr:${address}`;

/** 429 with Retry-After when the account or the address has failed too often within the window. */
export async function checkLoginLimits(knex: Knex, login: string, address: string, now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  for (const [key, max] of [
    [accountKey(login), MAX_FAILURES_PER_ACCOUNT],
    [addressKey(address), MAX_FAILURES_PER_ADDRESS],
  ] as const) {
    const rows = await knex("kehu.login_failures")
      .where("key", key)
      .andWhere("at", ">", since)
      .orderBy("at", "desc")
      .limit(max)
      .pluck("at");
    if (rows.length < max) continue;
    const oldest = new Date(rows[rows.length - 1] as string).getTime();
    const retryAfter = Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - now.getTime()) / 1000));
    throw new AppError(
      "rate_limited",
      `Too many failed logins; try again in ${Math.ceil(retryAfter / 60)} minutes`,
      [],
      {
        retryAfter,
      },
    );
  }
}

/** Records one failed login against the account and the address, dropping failures older than the window. */
export async function recordLoginFailure(knex: Knex, login: string, address: string, now = new Date()): Promise<void> {
  const keys = [accountKey(login), addressKey(address)];
  await knex("kehu.login_failures").insert(keys.map((key) => ({ key, at: now })));
  await knex("kehu.login_failures")
    .whereIn("key", keys)
    .andWhere("at", "<", new Date(now.getTime() - LOGIN_WINDOW_MS))
    .delete();
}

/** A successful login clears the account's failures (not the address's). */
export async function clearAccountFailures(knex: Knex, login: string): Promise<void> {
  await knex("kehu.login_failures").where("key", accountKey(login)).delete();
}
