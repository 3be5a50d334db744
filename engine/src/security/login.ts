import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { InputReader } from "./admin-input";
import { checkLoginLimits, clearAccountFailures, recordLoginFailure } from "./login-limits";
import { verifyPassword } from "./passwords";
import { createSession, type NewSession } from "./sessions";
import { findUserByLogin } from "./users";

/** The one message for every failed login, so that it does not tell whether the login exists. */
export const LOGIN_FAILED = "Wrong login or password";

/** Reads `{login, password}`, naming each missing or bad field. */
export function parseLoginBody(body: unknown): { login: string; password: string } {
  const r = new InputReader(body, ["login", "password"], '{"login": "...", "password": "..."}');
  const login = r.text("login", { required: true, max: 100 });
  const password = r.raw("password");
  if (typeof password !== "string" || !password || password.length > 1024)
    r.issues.push({ path: "/password", message: "is required (a string)" });
  r.done("Send a login and a password");
  return { login: login!, password: password as string };
}

/**
 * Checks a login and starts a session: 429 when the account or address failed too often, 401 with
 * the same message for an unknown login, a wrong password or an inactive user.
 */
export async function logIn(
  knex: Knex,
  login: string,
  password: string,
  address: string,
): Promise<NewSession & { userId: string }> {
  await checkLoginLimits(knex, login, address);
  const user = await findUserByLogin(knex, login);
  const ok = await verifyPassword(password, user?.active ? (user.password_hash as string | null) : null);
  if (!user || !ok) {
    await recordLoginFailure(knex, login, address);
    throw new AppError("unauthorized", LOGIN_FAILED);
  }
  await clearAccountFailures(knex, login);
  const session = await createSession(knex, user.id as string);
  return { ...session, userId: user.id as string };
}
