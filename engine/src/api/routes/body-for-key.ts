import { AppError } from "@kehu/core";

/** A PUT body with the path's key filled in; a body that names another key is refused. */
export function bodyForKey(body: unknown, key: string): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const sent = body as Record<string, unknown>;
  if (sent.key !== undefined && sent.key !== key)
    throw new AppError("validation_failed", "The body names another key than the path", [
      { path: "/key", message: `must be "${key}", as in the path` },
    ]);
  return { ...sent, key };
}
