import type { Principal } from "./principal";

// Token lookups are cached this long; a revocation elsewhere takes effect within it.
const TTL_MS = 1000;
const cache = new Map<string, { principal: Principal; until: number }>();

/** A cached principal for an API token, if still fresh. */
export function cachedPrincipal(token: string, now = Date.now()): Principal | undefined {
  const hit = cache.get(token);
  if (hit && hit.until > now) return hit.principal;
  if (hit) cache.delete(token);
  return undefined;
}

export function cachePrincipal(token: string, principal: Principal, now = Date.now()): void {
  if (cache.size > 10_000) cache.clear();
  cache.set(token, { principal, until: now + TTL_MS });
}

/** Drops every cached principal: called after a revocation or a change of users, roles or departments. */
export function forgetCachedPrincipals(): void {
  cache.clear();
}
