import { AppError } from "@kehu/core";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";

/** `fields=name,tier`: the fields to return (id and version always come), or undefined for all. */
export function parseFields(entity: EntityDefinition, param: string | undefined): Set<string> | undefined {
  if (param === undefined || param.trim() === "") return undefined;
  const names = param
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Set(entity.fields.map((f) => f.name));
  const unknown = names.filter((n) => !known.has(n) && n !== "id" && n !== "version");
  if (unknown.length)
    throw new AppError(
      "unknown_field",
      `fields names ${unknown.map((n) => `"${n}"`).join(", ")}, not fields of ${entity.name}`,
      unknown.map((n) => ({ path: "/fields", message: `unknown field "${n}"` })),
    );
  return new Set(names);
}

/** `expand=customer`: reference fields whose records are embedded in place of their ids. */
export function parseExpand(entity: EntityDefinition, param: string | undefined): FieldDefinition[] {
  if (param === undefined || param.trim() === "") return [];
  return [
    ...new Set(
      param
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].map((name) => {
    const field = entity.fields.find((f) => f.name === name);
    if (!field)
      throw new AppError("unknown_field", `expand names "${name}", not a field of ${entity.name}`, [
        { path: "/expand", message: `unknown field "${name}"` },
      ]);
    if (field.type !== "reference")
      throw new AppError("bad_request", `expand takes reference fields; "${name}" is a ${field.type} field`, [
        { path: "/expand", message: `"${name}" is not a reference` },
      ]);
    return field;
  });
}
