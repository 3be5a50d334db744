import { createHash } from "node:crypto";
import { canonicalJson } from "../storage/canonical-json";

/** A stable hash of a payload: the same fields and values give the same hash whatever their order. */
export function payloadHash(payload: unknown): string {
  return createHash("sha256").update(canonicalJson(payload)).digest("hex").slice(0, 32);
}
