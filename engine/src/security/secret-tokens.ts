import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new random secret of 32 bytes, base64url, with an optional prefix (`kehu_` for API tokens). */
export function newSecret(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** How secrets are stored: only their SHA-256, so a leaked table gives nothing to log in with. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Compares two strings in constant time (for CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
