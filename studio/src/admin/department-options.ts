import type { DepartmentNode } from "@kehu/client";

/** The tree flattened in display order, each with its depth, for indented lists and parent pickers. */
export function flattenDepartments(tree: DepartmentNode[], depth = 0): Array<{ node: DepartmentNode; depth: number }> {
  return tree.flatMap((node) => [{ node, depth }, ...flattenDepartments(node.children, depth + 1)]);
}
