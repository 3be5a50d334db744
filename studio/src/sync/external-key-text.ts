/**
 * An external key as a person reads it: a composite key, stored as a JSON array (`["P2008","03"]`: item and
 * warehouse), shows as its parts joined (`P2008 · 03`); a single key shows as it is.
 */
export function externalKeyText(key: string | null | undefined): string {
  if (!key) return "—";
  if (!key.startsWith("[")) return key;
  try {
    const parts: unknown = JSON.parse(key);
    return Array.isArray(parts) ? parts.map((p) => String(p)).join(" · ") : key;
  } catch {
    return key;
  }
}
