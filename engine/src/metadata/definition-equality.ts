import { isDeepStrictEqual } from "node:util";
import type { EntityDefinition } from "@kehu/schema";

/** Equal as JSON documents: key order and absent-versus-undefined do not matter (jsonb reorders keys). */
export function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(canonical(a), canonical(b));
}

export function sameDefinition(a: EntityDefinition, b: EntityDefinition): boolean {
  return sameJson(a, b);
}

function canonical(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
