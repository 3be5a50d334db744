/** The entity and fields a record service names in its inputs (`entity` plus `values.<field>`). */
export function fieldReads(input: Record<string, string>): Array<{ entity: string; field?: string }> {
  const entity = input.entity;
  if (!entity || entity.includes("${")) return [];
  const fields = Object.keys(input)
    .filter((k) => k.startsWith("values."))
    .map((k) => k.slice("values.".length).split(".")[0]);
  return fields.length ? fields.map((field) => ({ entity, field })) : [{ entity }];
}
