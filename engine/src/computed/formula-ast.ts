/** A node of a parsed formula; `pos` is the 1-based character position it starts at, for error messages. */
export type FormulaNode =
  | { kind: "number"; text: string; pos: number }
  | { kind: "string"; value: string; pos: number }
  | { kind: "boolean"; value: boolean; pos: number }
  | { kind: "null"; pos: number }
  | { kind: "field"; name: string; pos: number }
  | { kind: "ref"; via: string; name: string; pos: number }
  | { kind: "unary"; op: "-" | "not"; arg: FormulaNode; pos: number }
  | { kind: "binary"; op: BinaryOp; left: FormulaNode; right: FormulaNode; pos: number }
  | { kind: "call"; name: string; args: FormulaNode[]; pos: number };

export type BinaryOp = "+" | "-" | "*" | "/" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "and" | "or";

/** A problem with a formula, at a 1-based character position. */
export class FormulaError extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`at position ${position}: ${reason}`);
  }
}
