import { AppError, type Issue, isUuid } from "@kehu/core";
import type { Knex } from "knex";
import { schemaIssues } from "../schema-check";

export interface Substitute {
  id: string;
  user: string;
  substitute: string;
  from: string;
  to: string;
  reason: string | null;
  createdBy: string;
}

export const SUBSTITUTE_SCHEMA = {
  type: "object",
  properties: {
    user: { type: "string", minLength: 1 },
    substitute: { type: "string", minLength: 1 },
    from: { type: "string", format: "date-time" },
    to: { type: "string", format: "date-time" },
    reason: { type: "string", maxLength: 500 },
  },
  required: ["user", "substitute", "from", "to"],
  additionalProperties: false,
};

const substituteOf = (row: Record<string, unknown>): Substitute => ({
  id: row.id as string,
  user: row.user_login as string,
  substitute: row.substitute_login as string,
  from: new Date(row.starts_at as string).toISOString(),
  to: new Date(row.ends_at as string).toISOString(),
  reason: (row.reason as string | null) ?? null,
  createdBy: row.created_by as string,
});

export async function listSubstitutes(knex: Knex, user?: string): Promise<Substitute[]> {
  const q = knex("kehu.approval_substitutes").orderBy(["user_login", "starts_at"]);
  if (user) q.whereRaw("lower(user_login) = lower(?)", [user]);
  return (await q).map(substituteOf);
}

/** Records that `user` is away from `from` to `to` and `substitute` approves for them meanwhile. */
export async function createSubstitute(knex: Knex, body: unknown, actor: string): Promise<Substitute> {
  const shape = schemaIssues(SUBSTITUTE_SCHEMA, body);
  if (shape.length) throw new AppError("validation_failed", "The substitute is not valid", shape);
  const b = body as { user: string; substitute: string; from: string; to: string; reason?: string };
  const issues: Issue[] = [];
  const login = async (name: string, path: string) => {
    const row = await knex("kehu.users").whereRaw("lower(login) = lower(?)", [name]).first("login", "active");
    if (!row?.active) issues.push({ path, message: `no active user "${name}"` });
    return (row?.login as string | undefined) ?? name;
  };
  const user = await login(b.user, "/user");
  const substitute = await login(b.substitute, "/substitute");
  if (user.toLowerCase() === substitute.toLowerCase())
    issues.push({ path: "/substitute", message: "a user cannot substitute for themselves" });
  if (Date.parse(b.to) <= Date.parse(b.from)) issues.push({ path: "/to", message: "must be after from" });
  if (issues.length) throw new AppError("validation_failed", "The substitute is not valid", issues);
  const [row] = await knex("kehu.approval_substitutes")
    .insert({
      user_login: user,
      substitute_login: substitute,
      starts_at: new Date(b.from),
      ends_at: new Date(b.to),
      reason: b.reason ?? null,
      created_by: actor,
    })
    .returning("*");
  return substituteOf(row);
}

export async function deleteSubstitute(knex: Knex, id: string): Promise<void> {
  const n = isUuid(id) ? await knex("kehu.approval_substitutes").where({ id }).delete() : 0;
  if (!n) throw new AppError("not_found", `No substitute ${id}`);
}

/**
 * Who acts for `login` at `at`: the substitute of an absence in force, followed along a chain (the substitute may be
 * away too) until someone present; the chain is returned for the explanation. A cycle stops at the last new person.
 */
export async function actingFor(knex: Knex, login: string, at: Date): Promise<string[]> {
  const chain = [login];
  for (let hop = 0; hop < 5; hop++) {
    const current = chain[chain.length - 1];
    const row = await knex("kehu.approval_substitutes")
      .whereRaw("lower(user_login) = lower(?)", [current])
      .where("starts_at", "<=", at)
      .where("ends_at", ">", at)
      .orderBy("created_at", "desc")
      .first("substitute_login");
    if (!row || chain.some((c) => c.toLowerCase() === row.substitute_login.toLowerCase())) break;
    chain.push(row.substitute_login);
  }
  return chain;
}
