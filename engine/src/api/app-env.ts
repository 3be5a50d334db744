/** Hono's per-request variables. `actor` names who acts (a user login, or "system" until Security lands). */
export interface AppEnv {
  Variables: { actor: string };
}
