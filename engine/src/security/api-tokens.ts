import { AppError, type Issue, isUuid } from "@kehu/core";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";
import type { Principal } from "./principal";
import { hashSecret, newSecret } from "./secret-tokens";
import { type PrincipalRow, principalColumns, principalOf } from "./user-principal";

export const TOKEN_PREFIX = "kehu_";
// Recording every use would cost a write per request; once a minute per token is enough.
const LAST_USED_EVERY_MS = 60 * 1000;
const lastRecorded = new Map<string, number>();

export interface ApiTokenInfo {
  id: string;
  name: string;
  access: "read" | "write";
  entities: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokenRequest {
  name: string;
  access: "read" | "write";
  entities: string[] | null;
}

interface TokenRow {
  id: string;
  name: string;
  access: "read" | "write";
  entities: string[] | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const TOKEN_COLUMNS = ["id", "name", "access", "entities", "created_at", "last_used_at", "revoked_at"];

function infoOf(row: TokenRow): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    access: row.access,
    entities: row.entities,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** Reads `{name, access?, entities?}` (access defaults to read; entities null = all), naming every bad field. */
export function parseTokenRequest(body: unknown, registry: MetadataRegistry): TokenRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new AppError("validation_failed", 'Send {"name": "...", "access": "read" | "write", "entities"?: [...]}');
  const { name, access = "read", entities = null, ...rest } = body as Record<string, unknown>;
  const issues: Issue[] = Object.keys(rest).map((k) => ({ path: `/${k}`, message: "unknown property" }));
  if (typeof name !== "string" || !name.trim() || name.length > 200)
    issues.push({ path: "/name", message: "must be a non-empty string of at most 200 characters" });
  if (access !== "read" && access !== "write") issues.push({ path: "/access", message: 'must be "read" or "write"' });
  if (entities !== null) {
    if (!Array.isArray(entities) || entities.length === 0)
      issues.push({ path: "/entities", message: "must be a non-empty list of entity names, or null for all" });
    else
      entities.forEach((e, i) => {
        if (typeof e !== "string" || !registry.get(e))
          issues.push({ path: `/entities/${i}`, message: `no entity named ${JSON.stringify(e)}` });
      });
  }
  if (issues.length) throw new AppError("validation_failed", "The token request is not valid", issues);
  return { name: (name as string).trim(), access: access as "read" | "write", entities: entities as string[] | null };
}

/** Creates a token for a user; the secret is returned here once and only its hash is kept. */
export async function createApiToken(
  knex: Knex,
  userId: string,
  request: TokenRequest,
): Promise<ApiTokenInfo & { token: string }> {
  const token = newSecret(TOKEN_PREFIX);
  const [row] = (await knex("kehu.api_tokens")
    .insert({
      user_id: userId,
      name: request.name,
      access: request.access,
      entities: request.entities,
      token_hash: hashSecret(token),
    })
    .returning(TOKEN_COLUMNS)) as TokenRow[];
  return { ...infoOf(row!), token };
}

/** A user's tokens, newest first, without their secrets. */
export async function listApiTokens(knex: Knex, userId: string): Promise<ApiTokenInfo[]> {
  const rows = (await knex("kehu.api_tokens")
    .where({ user_id: userId })
    .orderBy([{ column: "created_at", order: "desc" }, "id"])
    .select(TOKEN_COLUMNS)) as TokenRow[];
  return rows.map(infoOf);
}

/** Revokes one of a user's tokens; 404 when the user has no such token. */
export async function revokeApiToken(knex: Knex, userId: string, tokenId: string): Promise<void> {
  const count = isUuid(tokenId)
    ? await knex("kehu.api_tokens")
        .where({ id: tokenId, user_id: userId })
        .update({ revoked_at: knex.raw("COALESCE(revoked_at, now())") })
    : 0;
  if (!count) throw new AppError("not_found", `No API token ${tokenId}`);
}

/** The principal of a live token of an active user (recording its use); undefined when none. */
export async function tokenPrincipal(knex: Knex, token: string, now = Date.now()): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = (await knex("kehu.api_tokens as t")
    .join("kehu.users as u", "u.id", "t.user_id")
    .where("t.token_hash", hashSecret(token))
    .whereNull("t.revoked_at")
    .andWhere("u.active", true)
    .first(["t.id as token_id", "t.access", "t.entities", ...principalColumns(knex)])) as
    | (PrincipalRow & { token_id: string; access: "read" | "write"; entities: string[] | null })
    | undefined;
  if (!row) return undefined;
  if (now - (lastRecorded.get(row.token_id) ?? 0) > LAST_USED_EVERY_MS) {
    lastRecorded.set(row.token_id, now);
    await knex("kehu.api_tokens")
      .where({ id: row.token_id })
      .update({ last_used_at: new Date(now) });
  }
  return { ...principalOf(row, "api"), token: { id: row.token_id, access: row.access, entities: row.entities } };
}
