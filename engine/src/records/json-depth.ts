/**
 * Deepest nesting of arrays and objects accepted in a request body or a json field: far beyond any definition, filter
 * or record, and well short of what overflows the stack of the code that walks a value (JSON.stringify overflowed at a
 * few thousand levels, PostgreSQL's jsonb parser has a stack limit of its own).
 */
export const MAX_JSON_DEPTH = 100;

/** Whether arrays and objects nest in `value` deeper than `MAX_JSON_DEPTH`; walked without recursion, for that reason. */
export function nestsTooDeeply(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > MAX_JSON_DEPTH) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
