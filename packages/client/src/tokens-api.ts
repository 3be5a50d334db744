import type { ApiToken } from "./admin-types";

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** The caller's own API tokens (`/api/auth/tokens`): list, create (the secret is shown once), revoke. */
export function tokensApi(request: Request) {
  return {
    list: async () => (await request<{ data: ApiToken[] }>("GET", "/api/auth/tokens")).data,
    create: (input: { name: string; access: "read" | "write"; entities?: string[] | null }) =>
      request<ApiToken & { token: string }>("POST", "/api/auth/tokens", input),
    revoke: (id: string) => request<void>("DELETE", `/api/auth/tokens/${encodeURIComponent(id)}`),
  };
}
