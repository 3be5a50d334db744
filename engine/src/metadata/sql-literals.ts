import { enumValueNames, type FieldDefinition } from "@kehu/schema";
import { columnsOf } from "../storage/columns";

/**
 * A SQL string literal. Plans are SQL text (they are previewed and kept in revisions), so metadata values are
 * quoted, never spliced. `?` and `\` go through an E'' escape because knex reads a bare `?` as a placeholder.
 */
export function quoteLiteral(value: string): string {
  if (!/[?\\]/.test(value)) return `'${value.replaceAll("'", "''")}'`;
  const escaped = value.replaceAll("\\", "\\\\").replaceAll("'", "''").replaceAll("?", "\\x3f");
  return `E'${escaped}'`;
}

/** `ARRAY['a', 'b']::text[]`, or the empty text array. */
export function textArrayLiteral(values: readonly string[]): string {
  return values.length ? `ARRAY[${values.map(quoteLiteral).join(", ")}]::text[]` : "'{}'::text[]";
}

/** A field's enum values as a text array literal. */
export function enumValuesLiteral(field: FieldDefinition): string {
  return textArrayLiteral(enumValueNames(field));
}

/** The field's `default` as a SQL literal of its column type, or undefined when it has none. */
export function defaultLiteral(field: FieldDefinition): string | undefined {
  const value = field.default;
  if (value === undefined || value === null) return undefined;
  const sqlType = columnsOf(field)[0].sqlType;
  switch (field.type) {
    case "integer":
      return String(Number(value));
    case "boolean":
      return value === true ? "true" : "false";
    case "multienum":
      return textArrayLiteral(value as string[]);
    case "json":
      return `${quoteLiteral(JSON.stringify(value))}::jsonb`;
    default:
      return `${quoteLiteral(String(value))}::${sqlType}`;
  }
}
