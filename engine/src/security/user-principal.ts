import type { Knex } from "knex";
import type { Channel, Principal } from "./principal";

/** The columns of a user needed to build a principal, with the role ids as a JSON array. */
export function principalColumns(knex: Knex, userAlias = "u"): Knex.Raw[] {
  return [
    knex.raw(`${userAlias}.id AS user_id`),
    knex.raw(`${userAlias}.login AS user_login`),
    knex.raw(`${userAlias}.department_id AS user_department_id`),
    knex.raw(`${userAlias}.is_admin AS user_is_admin`),
    knex.raw(
      `COALESCE((SELECT json_agg(ur.role_id ORDER BY ur.role_id) FROM kehu.user_roles ur WHERE ur.user_id = ${userAlias}.id), '[]'::json) AS user_role_ids`,
    ),
  ];
}

export interface PrincipalRow {
  user_id: string;
  user_login: string;
  user_department_id: string | null;
  user_is_admin: boolean;
  user_role_ids: string[];
}

export function principalOf(row: PrincipalRow, channel: Channel): Principal {
  return {
    userId: row.user_id,
    login: row.user_login,
    departmentId: row.user_department_id,
    roleIds: row.user_role_ids,
    isAdmin: row.user_is_admin,
    channel,
  };
}

/** A user's principal on `channel`, found by login, with whether the user is active; undefined when no such user. */
export async function principalByLogin(
  knex: Knex,
  login: string,
  channel: Channel,
): Promise<{ principal: Principal; active: boolean } | undefined> {
  const row: (PrincipalRow & { active: boolean }) | undefined = await knex("kehu.users as u")
    .where("u.login", login)
    .first([...principalColumns(knex), "u.active"]);
  return row && { principal: principalOf(row, channel), active: row.active };
}
