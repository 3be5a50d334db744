import type { Knex } from "knex";

/**
 * The manager of a user: an active user with `role` in the user's own department or the nearest one above it
 * (a store's salesperson → the branch's sales manager); failing that, the first active user with the role anywhere;
 * null when nobody has it.
 */
export async function managerOf(knex: Knex, userId: string, role: string): Promise<string | null> {
  const { rows } = await knex.raw(
    `WITH RECURSIVE up AS (
       SELECT d.id, d.parent_id, 0 AS depth FROM kehu.departments d JOIN kehu.users u ON u.department_id = d.id WHERE u.id = ?
       UNION ALL SELECT d.id, d.parent_id, up.depth + 1 FROM kehu.departments d JOIN up ON d.id = up.parent_id)
     SELECT m.login FROM up
       JOIN kehu.users m ON m.department_id = up.id AND m.active AND m.id <> ?
       JOIN kehu.user_roles ur ON ur.user_id = m.id JOIN kehu.roles r ON r.id = ur.role_id AND r.name = ?
     ORDER BY up.depth, m.login LIMIT 1`,
    [userId, userId, role],
  );
  if (rows[0]) return rows[0].login;
  const any = await knex("kehu.users as m")
    .join("kehu.user_roles as ur", "ur.user_id", "m.id")
    .join("kehu.roles as r", "r.id", "ur.role_id")
    .where({ "r.name": role, "m.active": true })
    .whereNot("m.id", userId)
    .orderBy("m.login")
    .first("m.login");
  return any?.login ?? null;
}
