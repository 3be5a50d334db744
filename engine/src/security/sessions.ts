import type { Knex } from "knex";
import type { Principal } from "./principal";
import { hashSecret, newSecret } from "./secret-tokens";
import { type PrincipalRow, principalColumns, principalOf } from "./user-principal";

export const SESSION_COOKIE = "kehu_session";
/** A session ends after this long without a request (sliding). */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
// Sliding the expiry costs a write; once a minute per session is enough.
const SLIDE_EVERY_MS = 60 * 1000;

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Starts a session for a user who has just logged in. */
export async function createSession(knex: Knex, userId: string, now = new Date()): Promise<NewSession> {
  const secret = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await knex("kehu.sessions").insert({
    id: hashSecret(secret),
    user_id: userId,
    csrf_token: csrfToken,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
  });
  await knex("kehu.sessions").where("expires_at", "<", now).delete();
  return { secret, csrfToken, expiresAt };
}

export interface SessionPrincipal {
  principal: Principal;
  csrfToken: string;
  sessionId: string;
}

/** The principal of a live session of an active user, sliding its expiry; undefined when none. */
export async function sessionPrincipal(
  knex: Knex,
  secret: string,
  now = new Date(),
): Promise<SessionPrincipal | undefined> {
  const id = hashSecret(secret);
  const row = (await knex("kehu.sessions as s")
    .join("kehu.users as u", "u.id", "s.user_id")
    .where("s.id", id)
    .andWhere("s.expires_at", ">", now)
    .andWhere("u.active", true)
    .first(["s.csrf_token", "s.last_seen_at", ...principalColumns(knex)])) as
    | (PrincipalRow & { csrf_token: string; last_seen_at: string })
    | undefined;
  if (!row) return undefined;
  if (now.getTime() - new Date(row.last_seen_at).getTime() > SLIDE_EVERY_MS)
    await knex("kehu.sessions")
      .where({ id })
      .update({ last_seen_at: now, expires_at: new Date(now.getTime() + SESSION_IDLE_MS) });
  return { principal: principalOf(row, "studio"), csrfToken: row.csrf_token, sessionId: id };
}

/** Ends one session (logout). */
export async function deleteSession(knex: Knex, sessionId: string): Promise<void> {
  await knex("kehu.sessions").where({ id: sessionId }).delete();
}

/** Ends every session of a user (deactivation, password change). */
export async function deleteUserSessions(knex: Knex, userId: string): Promise<void> {
  await knex("kehu.sessions").where({ user_id: userId }).delete();
}
