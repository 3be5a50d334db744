import type { Principal } from "../security/principal";

/**
 * Hono's per-request variables. `actor` is the acting login (kept for revisions and `created_by`);
 * `principal` is set by authentication and read by permission checks and the audit trail.
 */
export interface AppEnv {
  Variables: { actor: string; principal: Principal };
}
