/** Through which door a change came in; recorded with every audit row. */
export type Channel = "api" | "studio" | "workflow" | "sync" | "import" | "system";

/**
 * Who is acting on a request: set by authentication (session cookie or API token) and read by every
 * permission check and audit write.
 */
export interface Principal {
  userId: string;
  login: string;
  departmentId: string | null;
  roleIds: string[];
  isAdmin: boolean;
  channel: Channel;
  /** Limits of the API token used, if any: `write` allows changes; `entities` (null = all) restricts data routes. */
  token?: { id: string; access: "read" | "write"; entities: string[] | null };
}

/** The principal of work done by Kehu itself (migrations, seeds, CLI), which every check lets through. */
export const SYSTEM_PRINCIPAL: Principal = {
  userId: "00000000-0000-0000-0000-000000000000",
  login: "system",
  departmentId: null,
  roleIds: [],
  isAdmin: true,
  channel: "system",
};
