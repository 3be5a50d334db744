import type { FormulaNode } from "./formula-ast";

/** Every node of a formula, depth first in source order: the one walk that reference and call checks share. */
export function formulaNodes(node: FormulaNode): FormulaNode[] {
  switch (node.kind) {
    case "unary":
      return [node, ...formulaNodes(node.arg)];
    case "binary":
      return [node, ...formulaNodes(node.left), ...formulaNodes(node.right)];
    case "call":
      return [node, ...node.args.flatMap(formulaNodes)];
    default:
      return [node];
  }
}
