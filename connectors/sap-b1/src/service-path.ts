/**
 * Turns a nextLink (or Location) into a path relative to the service root. SL emits relative links
 * (`Items?$skip=20`), rooted ones (`/b1s/v1/Orders?$skip=20`) and absolute ones; an absolute link may name an
 * internal node behind the balancer, so only its path is kept and the configured origin is used.
 */
export function toServicePath(link: string, serviceRoot: string): string {
  const url = new URL(link, `${serviceRoot}/`);
  // Not anchored: behind a reverse proxy the root is e.g. `/sap/b1s/v1`, while SL writes rooted links without it.
  const match = /\/b1s\/v[12]\/(.*)$/.exec(url.pathname);
  const path = match ? match[1] : url.pathname.replace(/^\//, "");
  return `${path}${url.search}`;
}

/**
 * The path of the page after `requested`, given the server's nextLink (already made relative by toServicePath).
 * Whether SL echoes the other query options in nextLink is unconfirmed (published samples show both
 * `/b1s/v1/Orders?$skip=20` and fully echoed links), so when the link carries a `$skip` for the same resource, the next
 * page is the requested query with that `$skip`: filter, order and select survive a link that dropped them. Any
 * other link (e.g. a `$skiptoken`) is followed as given.
 */
export function nextPagePath(requested: string, link: string): string {
  const [linkResource, linkQuery = ""] = splitPath(link);
  const skip = /(?:^|&)(?:\$|%24)skip=(\d+)/i.exec(linkQuery)?.[1];
  const [resource, query = ""] = splitPath(requested);
  if (skip === undefined || decodeURIComponent(linkResource) !== decodeURIComponent(resource)) return link;
  const options = query.split("&").filter((option) => option && !/^(?:\$|%24)skip=/i.test(option));
  return `${resource}?${[...options, `$skip=${skip}`].join("&")}`;
}

function splitPath(path: string): [string, string?] {
  const at = path.indexOf("?");
  return at < 0 ? [path] : [path.slice(0, at), path.slice(at + 1)];
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
