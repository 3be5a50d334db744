import { isUuid } from "@kehu/core";

/** The idempotency key of one CRM change: the same for every retry of it, new for the record's next version. */
export function idempotencyKeyOf(entity: string, id: string, version: number): string {
  return `kehu:${entity}:${id}:${version}`;
}

/** The record id inside a key `idempotencyKeyOf` made for this entity, or undefined for any other value. */
export function recordIdOfKey(entity: string, value: unknown): string | undefined {
  if (typeof value !== "string" || !value.startsWith(`kehu:${entity}:`)) return undefined;
  const [id, version] = value.slice(`kehu:${entity}:`.length).split(":");
  return isUuid(id) && /^\d+$/.test(version ?? "") ? id : undefined;
}
