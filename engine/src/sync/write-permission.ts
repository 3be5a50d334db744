import { type Issue, isAppError } from "@kehu/core";
import type { Access } from "../security/access";

export type Refusal = { ok: false; message: string; issues: Issue[] };

/**
 * Which of a page's bodies the sync principal may write: `action` on the entity, then each body's fields. Returns the
 * indexes it may write and, by index, a refusal for each other body (all of them when the action is not allowed).
 */
export function permittedBodies(
  access: Access,
  entity: string,
  action: "create" | "update",
  bodies: readonly Record<string, unknown>[],
): { writable: number[]; refused: Array<Refusal | undefined> } {
  try {
    access.require(entity, action);
  } catch (e) {
    return { writable: [], refused: bodies.map(() => ({ ok: false, message: (e as Error).message, issues: [] })) };
  }
  const writable: number[] = [];
  const refused = bodies.map((body, i): Refusal | undefined => {
    try {
      access.assertWritable(entity, body);
      writable.push(i);
      return undefined;
    } catch (e) {
      return { ok: false, message: (e as Error).message, issues: isAppError(e) ? e.issues : [] };
    }
  });
  return { writable, refused };
}
