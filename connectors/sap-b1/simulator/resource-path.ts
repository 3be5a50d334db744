import { sapErrors } from "./sap-error";

export type ResourcePath = { set: string; key?: string | number; suffix?: string };

/** Parses `Items`, `Items('A001')`, `Orders(12)`, `Orders(DocEntry=12)`, `Orders(12)/Close`, `Orders/$count`. */
export function parseResourcePath(path: string): ResourcePath {
  const decoded = safeDecode(path);
  const match = /^([A-Za-z_][\w]*)(?:\((.*?)\))?(?:\/(.+))?$/.exec(decoded);
  if (!match) throw sapErrors.noResource(decoded);
  const [, set, keyText, suffix] = match;
  return { set, key: keyText === undefined ? undefined : parseKey(keyText), suffix };
}

function parseKey(text: string): string | number {
  const value = text.includes("=") ? text.slice(text.indexOf("=") + 1).trim() : text.trim();
  const quoted = /^'((?:[^']|'')*)'$/.exec(value);
  if (quoted) return quoted[1].replaceAll("''", "'");
  if (/^-?\d+$/.test(value)) return Number(value);
  throw sapErrors.badRequest(`Invalid key '${text}'`);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw sapErrors.badRequest(`Invalid path '${path}'`);
  }
}
