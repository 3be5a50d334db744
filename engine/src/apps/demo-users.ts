import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "@kehu/core";
import { parse } from "yaml";
import type { EngineContext } from "../engine-context";
import { createUser, findUserByLogin } from "../security/users";

/** A demo user of a template (`seed/users.yaml`): who they are, where they sit, which roles they hold. */
export interface DemoUser {
  login: string;
  name: string;
  department?: string;
  roles?: string[];
  locale?: string;
  admin?: boolean;
}

/**
 * Creates the template's demo users that do not exist yet, all with the demo password, in their department (by
 * code) with their roles (by name). Returns the logins created.
 */
export async function ensureDemoUsers(ctx: EngineContext, dir: string, password: string): Promise<string[]> {
  const file = join(dir, "seed", "users.yaml");
  if (!existsSync(file)) return [];
  const users: DemoUser[] = parse(readFileSync(file, "utf8")) ?? [];
  const knex = ctx.db.knex;
  const created: string[] = [];
  for (const [i, user] of users.entries()) {
    if (await findUserByLogin(knex, user.login)) continue;
    const department = user.department
      ? await knex("kehu.departments").where({ code: user.department }).first("id")
      : undefined;
    if (user.department && !department)
      throw new AppError(
        "validation_failed",
        `seed/users.yaml: user ${i + 1} (${user.login}): no department with code "${user.department}"`,
      );
    const roles = user.roles?.length ? await knex("kehu.roles").whereIn("name", user.roles).select("id", "name") : [];
    const missing = (user.roles ?? []).filter((r) => !roles.some((row: { name: string }) => row.name === r));
    if (missing.length)
      throw new AppError(
        "validation_failed",
        `seed/users.yaml: user ${i + 1} (${user.login}): no role named ${missing.join(", ")}`,
      );
    await createUser(knex, {
      login: user.login,
      displayName: user.name,
      locale: user.locale ?? "zh-CN",
      isAdmin: user.admin ?? false,
      departmentId: department?.id ?? null,
      roleIds: roles.map((r: { id: string }) => r.id),
      password,
    });
    created.push(user.login);
  }
  return created;
}
