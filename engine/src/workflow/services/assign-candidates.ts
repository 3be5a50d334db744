import type { Knex } from "knex";

/** Who a rule (or a plain assignOwner call) deals among: named users, a role, a department (with its sub-departments), or role ∩ department. */
export interface CandidateSpec {
  users?: string[] | string;
  role?: string;
  department?: string;
}

export interface Candidate {
  id: string;
  login: string;
  departmentId: string | null;
}

/** A user left out of the choice, and why (shown in the decision trace). */
export interface Skipped {
  login: string;
  reason: string;
}

export function userList(users: CandidateSpec["users"]): string[] | undefined {
  if (users === undefined) return undefined;
  return (Array.isArray(users) ? users : String(users).split(",")).map((s) => String(s).trim()).filter(Boolean);
}

/** The ids of a department (by code) and every department below it; empty when no department has the code. */
export async function departmentTree(knex: Knex, code: string): Promise<string[]> {
  const { rows } = await knex.raw(
    `WITH RECURSIVE tree AS (
       SELECT id FROM kehu.departments WHERE code = ?
       UNION ALL SELECT d.id FROM kehu.departments d JOIN tree t ON d.parent_id = t.id)
     SELECT id FROM tree`,
    [code],
  );
  return rows.map((r: { id: string }) => r.id);
}

/**
 * The active users a spec names, ordered by login, and the ones it names but cannot choose (inactive, unknown).
 * Conditions combine: `role` + `department` means users with that role in that department's tree.
 */
export async function candidatesOf(
  knex: Knex,
  spec: CandidateSpec,
): Promise<{ candidates: Candidate[]; skipped: Skipped[] }> {
  const logins = userList(spec.users);
  const q = knex("kehu.users as u").orderBy("u.login").select("u.id", "u.login", "u.active", "u.department_id");
  if (logins) q.whereIn("u.login", logins);
  if (spec.role !== undefined)
    q.whereExists((s) =>
      s
        .from("kehu.user_roles as ur")
        .join("kehu.roles as r", "r.id", "ur.role_id")
        .whereRaw("ur.user_id = u.id")
        .where("r.name", String(spec.role)),
    );
  if (spec.department !== undefined) q.whereIn("u.department_id", await departmentTree(knex, String(spec.department)));
  const rows: Array<{ id: string; login: string; active: boolean; department_id: string | null }> = await q;
  const skipped: Skipped[] = rows.filter((r) => !r.active).map((r) => ({ login: r.login, reason: "inactive" }));
  const found = new Set(rows.map((r) => r.login));
  for (const login of logins ?? []) if (!found.has(login)) skipped.push({ login, reason: "no such user" });
  const candidates = rows
    .filter((r) => r.active)
    .map((r) => ({ id: r.id, login: r.login, departmentId: r.department_id }));
  return { candidates, skipped };
}
