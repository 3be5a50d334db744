/**
 * JSON with object keys sorted, so equal values give equal text whatever their key order: the basis of query
 * fingerprints and payload hashes. `undefined` is written as `null`. Built by concatenation (no entry arrays): a
 * sync pull hashes every record it reads.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let text = "[";
    for (let i = 0; i < value.length; i++) text += (i ? "," : "") + canonicalJson(value[i]);
    return `${text}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let text = "{";
  for (let i = 0; i < keys.length; i++)
    text += `${i ? "," : ""}${JSON.stringify(keys[i])}:${canonicalJson(object[keys[i]])}`;
  return `${text}}`;
}
