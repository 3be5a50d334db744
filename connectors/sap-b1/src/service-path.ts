/**
 * Turns a nextLink (or Location) into a path relative to the service root. SL emits relative links
 * (`Items?$skip=20`), rooted ones (`/b1s/v1/Orders?$skip=20`) and absolute ones; an absolute link may name an
 * internal node behind the balancer, so only its path is kept and the configured origin is used.
 */
export function toServicePath(link: string, serviceRoot: string): string {
  const url = new URL(link, `${serviceRoot}/`);
  const match = /^\/b1s\/v[12]\/(.*)$/.exec(url.pathname);
  const path = match ? match[1] : url.pathname.replace(/^\//, "");
  return `${path}${url.search}`;
}

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Builds `Set?$a=…&$b=…` with each option value percent-encoded (commas and `$` kept readable). */
export function collectionPath(set: string, options: Record<string, string | undefined>): string {
  const query = Object.entries(options)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "")
    .map(([name, value]) => `${name}=${encodeURIComponent(value).replaceAll("%2C", ",").replaceAll("%24", "$")}`)
    .join("&");
  return query ? `${set}?${query}` : set;
}
