import { createHash } from "node:crypto";

/** A trigger or function name from its parts, hashed when it would pass PostgreSQL's 63-byte limit. */
export function routineName(kind: "rollup" | "autonumber", entity: string, field: string): string {
  const name = `kehu_${kind}__${entity}__${field}`;
  if (name.length <= 63) return name;
  const hash = createHash("sha1").update(name).digest("hex").slice(0, 10);
  return `${name.slice(0, 52)}_${hash}`;
}
