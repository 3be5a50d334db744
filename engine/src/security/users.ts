import { AppError, isUuid } from "@kehu/core";
import type { UserView } from "@kehu/schema";
import type { Knex } from "knex";
import { InputReader } from "./admin-input";
import { hashPassword, passwordProblem } from "./passwords";
import { forgetCachedPrincipals } from "./principal-cache";
import { deleteUserSessions } from "./sessions";

export type UserInfo = UserView;

export interface UserInput {
  login?: string;
  displayName?: string;
  email?: string | null;
  locale?: string;
  active?: boolean;
  isAdmin?: boolean;
  departmentId?: string | null;
  roleIds?: string[];
  password?: string;
}

const FIELDS = ["login", "displayName", "email", "locale", "active", "isAdmin", "departmentId", "roleIds", "password"];
const LOGIN = /^[\p{L}\p{N}._@+-]{1,100}$/u;

/** Reads a user body for create (login required) or update, naming every bad field. */
export function parseUserInput(body: unknown, creating: boolean): UserInput {
  const r = new InputReader(body, FIELDS, "the user");
  const input: UserInput = {
    login: r.text("login", {
      required: creating,
      max: 100,
      pattern: LOGIN,
      hint: "may hold letters, digits and . _ @ + - only",
    }),
    displayName: r.text("displayName", { max: 200 }),
    email: r.nullableText("email", { max: 320, pattern: /^[^\s@]+@[^\s@]+$/, hint: "must be an email address" }),
    locale: r.text("locale", {
      max: 35,
      pattern: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
      hint: "must be like zh-CN or en",
    }),
    active: r.bool("active"),
    isAdmin: r.bool("isAdmin"),
    departmentId: r.nullableId("departmentId"),
    roleIds: r.ids("roleIds"),
  };
  if (r.has("password")) {
    const problem = passwordProblem(r.raw("password"));
    if (problem) r.issues.push({ path: "/password", message: problem });
    else input.password = r.raw("password") as string;
  }
  r.done("The user is not valid");
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as UserInput;
}

const columns = (knex: Knex) => [
  "u.*",
  knex.raw(
    "COALESCE((SELECT json_agg(ur.role_id ORDER BY ur.role_id) FROM kehu.user_roles ur WHERE ur.user_id = u.id), '[]'::json) AS role_ids",
  ),
];

function infoOf(row: Record<string, unknown>): UserInfo {
  return {
    id: row.id as string,
    login: row.login as string,
    displayName: row.display_name as string,
    email: (row.email as string | null) ?? null,
    locale: row.locale as string,
    active: row.active as boolean,
    isAdmin: row.is_admin as boolean,
    departmentId: (row.department_id as string | null) ?? null,
    roleIds: row.role_ids as string[],
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

export async function listUsers(knex: Knex): Promise<UserInfo[]> {
  const rows = await knex("kehu.users as u").select(columns(knex)).orderBy("u.login");
  return rows.map(infoOf);
}

export async function getUser(knex: Knex, id: string): Promise<UserInfo> {
  const row = isUuid(id) ? await knex("kehu.users as u").where("u.id", id).first(columns(knex)) : undefined;
  if (!row) throw new AppError("not_found", `No user ${id}`);
  return infoOf(row);
}

export async function findUserByLogin(knex: Knex, login: string): Promise<Record<string, unknown> | undefined> {
  return knex("kehu.users").whereRaw("lower(login) = lower(?)", [login]).first();
}

export async function countUsers(knex: Knex): Promise<number> {
  // The service user of a sync connection (`sync.<name>`, made when an app package installs one) signs nobody in.
  const row = await knex("kehu.users")
    .whereNot("login", "like", "sync.%")
    .count<{ count: number | string }[]>({ count: "*" })
    .first();
  return Number(row?.count ?? 0);
}

/** Creates a user; 409 when the login is taken, 400 naming an unknown department or role. */
export async function createUser(knex: Knex, input: UserInput): Promise<UserInfo> {
  if (!input.login)
    throw new AppError("validation_failed", "The user is not valid", [{ path: "/login", message: "is required" }]);
  return knex.transaction(async (trx) => {
    await checkReferences(trx, input);
    if (await findUserByLogin(trx, input.login!))
      throw new AppError("conflict", `The login "${input.login}" is taken`, [{ path: "/login", message: "is taken" }]);
    const [row] = await trx("kehu.users")
      .insert({
        login: input.login,
        display_name: input.displayName ?? input.login,
        email: input.email ?? null,
        locale: input.locale ?? "zh-CN",
        active: input.active ?? true,
        is_admin: input.isAdmin ?? false,
        department_id: input.departmentId ?? null,
        password_hash: input.password === undefined ? null : await hashPassword(input.password),
      })
      .returning("id");
    const id = (row as { id: string }).id;
    if (input.roleIds?.length)
      await trx("kehu.user_roles").insert(input.roleIds.map((role_id) => ({ user_id: id, role_id })));
    return getUser(trx, id);
  });
}

/** Changes a user; a new password or deactivation ends the user's sessions. */
export async function updateUser(knex: Knex, id: string, input: UserInput): Promise<UserInfo> {
  const user = await getUser(knex, id);
  const result = await knex.transaction(async (trx) => {
    await checkReferences(trx, input);
    if (
      input.login &&
      input.login.toLowerCase() !== user.login.toLowerCase() &&
      (await findUserByLogin(trx, input.login))
    )
      throw new AppError("conflict", `The login "${input.login}" is taken`, [{ path: "/login", message: "is taken" }]);
    const patch: Record<string, unknown> = { updated_at: trx.fn.now() };
    if (input.login !== undefined) patch.login = input.login;
    if (input.displayName !== undefined) patch.display_name = input.displayName;
    if (input.email !== undefined) patch.email = input.email;
    if (input.locale !== undefined) patch.locale = input.locale;
    if (input.active !== undefined) patch.active = input.active;
    if (input.isAdmin !== undefined) patch.is_admin = input.isAdmin;
    if (input.departmentId !== undefined) patch.department_id = input.departmentId;
    if (input.password !== undefined) patch.password_hash = await hashPassword(input.password);
    await trx("kehu.users").where({ id }).update(patch);
    if (input.roleIds) {
      await trx("kehu.user_roles").where({ user_id: id }).delete();
      if (input.roleIds.length)
        await trx("kehu.user_roles").insert(input.roleIds.map((role_id) => ({ user_id: id, role_id })));
    }
    if (input.password !== undefined || input.active === false) await deleteUserSessions(trx, id);
    return getUser(trx, id);
  });
  forgetCachedPrincipals();
  return result;
}

async function checkReferences(knex: Knex, input: UserInput): Promise<void> {
  const issues = [];
  if (input.departmentId && !(await knex("kehu.departments").where({ id: input.departmentId }).first("id")))
    issues.push({ path: "/departmentId", message: `no department ${input.departmentId}` });
  if (input.roleIds?.length) {
    const found = new Set(await knex("kehu.roles").whereIn("id", input.roleIds).pluck("id"));
    input.roleIds.forEach((r, i) => {
      if (!found.has(r)) issues.push({ path: `/roleIds/${i}`, message: `no role ${r}` });
    });
  }
  if (issues.length) throw new AppError("validation_failed", "The user refers to what does not exist", issues);
}
