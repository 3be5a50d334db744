/** Every key of a bundle with its text: `{"designer.title": "Entity designer", ...}`. */
export function flattenKeys(bundle: object, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(bundle)) {
    if (typeof value === "string") out[prefix + key] = value;
    else Object.assign(out, flattenKeys(value, `${prefix}${key}.`));
  }
  return out;
}
