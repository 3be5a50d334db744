import type { FormulaNode } from "../computed/formula-ast";
import { tokenize } from "../computed/formula-lexer";
import { parseFormula } from "../computed/formula-parser";
import { formulaNodes } from "../computed/formula-walk";

/** A name a formula reads: a field of its own entity, or `via.name` through a reference field. */
export interface FormulaRead {
  name: string;
  via?: string;
  /** Character positions (1-based) of the `via` and `name` words in the expression. */
  viaPos?: number;
  namePos: number;
}

/** Every field a formula reads, in order; none for an expression that does not parse. */
export function formulaReads(expression: string): FormulaRead[] {
  let root: FormulaNode;
  try {
    root = parseFormula(expression);
  } catch {
    return [];
  }
  const tokens = tokenize(expression);
  return formulaNodes(root).flatMap((node): FormulaRead[] => {
    if (node.kind === "field") return [{ name: node.name, namePos: node.pos }];
    if (node.kind !== "ref") return [];
    const at = tokens.findIndex((t) => t.pos === node.pos);
    return [{ via: node.via, name: node.name, viaPos: node.pos, namePos: tokens[at + 2]?.pos ?? node.pos }];
  });
}

/**
 * The expression with words replaced: `rename` gets each read and returns the new `via` and `name`
 * (unchanged ones as they were). Only the words move; spacing and everything else stay as written.
 */
export function renameInFormula(
  expression: string,
  rename: (read: FormulaRead) => { via?: string; name: string },
): string {
  const edits: Array<{ pos: number; from: string; to: string }> = [];
  for (const read of formulaReads(expression)) {
    const next = rename(read);
    if (next.name !== read.name) edits.push({ pos: read.namePos, from: read.name, to: next.name });
    if (read.via !== undefined && read.viaPos !== undefined && next.via !== undefined && next.via !== read.via)
      edits.push({ pos: read.viaPos, from: read.via, to: next.via });
  }
  let text = expression;
  for (const edit of edits.sort((a, b) => b.pos - a.pos))
    text = text.slice(0, edit.pos - 1) + edit.to + text.slice(edit.pos - 1 + edit.from.length);
  return text;
}
