import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { passwordProblem, verifyPassword } from "./passwords";
import { countUsers, createUser, findUserByLogin } from "./users";

export const DEMO_LOGIN = "admin";
export const DEMO_PASSWORD = "kehu-demo";

/**
 * Creates the first administrator from `KEHU_ADMIN_LOGIN` + `KEHU_ADMIN_PASSWORD` when no user exists
 * yet; returns its login, or undefined when nothing was created.
 */
export async function bootstrapAdminFromEnv(
  knex: Knex,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const login = env.KEHU_ADMIN_LOGIN?.trim();
  const password = env.KEHU_ADMIN_PASSWORD;
  if (!login || !password) return undefined;
  if ((await countUsers(knex)) > 0) return undefined;
  const problem = passwordProblem(password);
  if (problem) throw new AppError("validation_failed", `KEHU_ADMIN_PASSWORD ${problem}`);
  await createUser(knex, { login, displayName: login, isAdmin: true, password });
  return login;
}

/**
 * For `kehu demo`: creates the demo administrator when no user exists; true when the demo login
 * works (created now, or still with its demo password), so that it can be printed.
 */
export async function ensureDemoAdmin(knex: Knex): Promise<boolean> {
  if ((await countUsers(knex)) === 0) {
    await createUser(knex, { login: DEMO_LOGIN, displayName: "Demo admin", isAdmin: true, password: DEMO_PASSWORD });
    return true;
  }
  const user = await findUserByLogin(knex, DEMO_LOGIN);
  return !!user?.active && (await verifyPassword(DEMO_PASSWORD, user.password_hash as string | null));
}
