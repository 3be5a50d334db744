import { COMPUTED_FIELD_TYPES, type EntityDefinition, type FieldDefinition, SYSTEM_FIELDS } from "@kehu/schema";

/** A field part a column can fill: a field's value (`credit`) or a money field's currency (`credit__currency`). */
export interface ImportTarget {
  key: string;
  field: FieldDefinition;
  part: "value" | "currency";
}

const COMPUTED = new Set<string>(COMPUTED_FIELD_TYPES);

/** Compared like the server does: NFKC, no case, no spaces, underscores or brackets. */
export function normaliseHeader(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_()[\]【】（）]+/g, "");
}

/** The fields (and money currencies) a file may fill: writable, not computed, not system fields. */
export function importTargets(entity: EntityDefinition): ImportTarget[] {
  const writable = entity.fields.filter((f) => !COMPUTED.has(f.type));
  return writable.flatMap((field) => [
    { key: field.name, field, part: "value" as const },
    ...(field.type === "money" ? [{ key: `${field.name}__currency`, field, part: "currency" as const }] : []),
  ]);
}

function headerForms(t: ImportTarget): string[] {
  const { en, zh } = (t.field.label ?? {}) as { en?: string; zh?: string };
  if (t.part === "value") return [t.field.name, en, zh].filter((s): s is string => !!s);
  return [
    t.key,
    `${t.field.name} currency`,
    ...(en ? [`${en} currency`] : []),
    ...(zh ? [`${zh}币种`, `${zh}货币`] : []),
  ];
}

/**
 * The field each column fills, matched by field name or en/zh label as the server would; null leaves a column out
 * (system columns such as `id` and columns that match nothing).
 */
export function autoMapping(entity: EntityDefinition, headers: string[]): Record<string, string | null> {
  const byForm = new Map<string, string>();
  for (const t of importTargets(entity)) for (const form of headerForms(t)) byForm.set(normaliseHeader(form), t.key);
  const system = new Set<string>(SYSTEM_FIELDS.map(normaliseHeader));
  const taken = new Set<string>();
  const mapping: Record<string, string | null> = {};
  for (const header of headers) {
    const key = normaliseHeader(header);
    const target = system.has(key) ? undefined : byForm.get(key);
    mapping[header] = target && !taken.has(target) ? target : null;
    if (target) taken.add(target);
  }
  return mapping;
}

/** The header cells of a CSV text's first record (quotes, doubled quotes, `,` `;` or tab as delimiter, BOM). */
export function csvHeader(text: string): string[] {
  const body = text.replace(/^\uFEFF/, "");
  const firstLine = body.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = [",", ";", "\t"].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = "";
    } else if (ch === "\n" || ch === "\r") break;
    else cell += ch;
  }
  cells.push(cell.trim());
  return cells.filter((c, i) => c !== "" || i < cells.length - 1);
}

/** A CSV of the row errors of an import, for download. */
export function rowErrorsCsv(
  errors: Array<{ row: number; column: string | null; field: string | null; message: string }>,
): string {
  const quote = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [["row", "column", "field", "message"], ...errors.map((e) => [e.row, e.column, e.field, e.message])];
  return `\uFEFF${lines.map((l) => l.map(quote).join(",")).join("\r\n")}\r\n`;
}
