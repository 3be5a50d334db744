import { type BinaryOp, FormulaError, type FormulaNode } from "./formula-ast";
import { type Token, tokenize } from "./formula-lexer";

const MAX_DEPTH = 64;
const COMPARISONS = new Set(["=", "!=", "<", "<=", ">", ">="]);
const KEYWORDS: Record<string, FormulaNode["kind"]> = { true: "boolean", false: "boolean", null: "null" };

/**
 * Parses a formula into its syntax tree. Precedence, lowest first: `or`, `and`, `not`, comparisons,
 * `+ -`, `* /`, unary minus. Names are fields (`quantity`) or a referenced record's field (`customer.tier`);
 * a name followed by `(` is a function call. Throws `FormulaError` naming the position.
 *
 * @example
 * parseFormula("quantity * unit_price") // {kind: "binary", op: "*", left: {kind: "field", name: "quantity", ...}, ...}
 */
export function parseFormula(source: string): FormulaNode {
  return new Parser(tokenize(source)).parse();
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FormulaNode {
    const node = this.or();
    const next = this.peek();
    if (next.kind !== "end") throw new FormulaError(next.pos, `unexpected ${describe(next)}`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.at];
  }

  private take(): Token {
    return this.tokens[this.at++];
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === "ident" && t.text.toLowerCase() === word;
  }

  private nested<T>(pos: number, parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new FormulaError(pos, `formula is nested deeper than ${MAX_DEPTH} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private or(): FormulaNode {
    return this.nested(this.peek().pos, () => this.leftAssoc(() => this.and(), ["or"]));
  }

  private and(): FormulaNode {
    return this.leftAssoc(() => this.not(), ["and"]);
  }

  private not(): FormulaNode {
    if (!this.isWord("not")) return this.comparison();
    const pos = this.take().pos;
    return { kind: "unary", op: "not", arg: this.nested(pos, () => this.not()), pos };
  }

  private comparison(): FormulaNode {
    const left = this.additive();
    const t = this.peek();
    if (t.kind !== "op" || !COMPARISONS.has(t.text)) return left;
    this.take();
    const right = this.additive();
    const after = this.peek();
    if (after.kind === "op" && COMPARISONS.has(after.text))
      throw new FormulaError(after.pos, "comparisons cannot be chained; join them with and");
    return { kind: "binary", op: t.text as BinaryOp, left, right, pos: t.pos };
  }

  private additive(): FormulaNode {
    return this.leftAssoc(() => this.multiplicative(), ["+", "-"]);
  }

  private multiplicative(): FormulaNode {
    return this.leftAssoc(() => this.unary(), ["*", "/"]);
  }

  private leftAssoc(operand: () => FormulaNode, ops: string[]): FormulaNode {
    let left = operand();
    for (;;) {
      const t = this.peek();
      const op = t.kind === "ident" ? t.text.toLowerCase() : t.text;
      if (!((t.kind === "op" || t.kind === "ident") && ops.includes(op))) return left;
      this.take();
      left = { kind: "binary", op: op as BinaryOp, left, right: operand(), pos: t.pos };
    }
  }

  private unary(): FormulaNode {
    const t = this.peek();
    if (t.kind === "op" && t.text === "-") {
      this.take();
      return { kind: "unary", op: "-", arg: this.nested(t.pos, () => this.unary()), pos: t.pos };
    }
    return this.primary();
  }

  private primary(): FormulaNode {
    const t = this.take();
    switch (t.kind) {
      case "number":
        return { kind: "number", text: t.text, pos: t.pos };
      case "string":
        return { kind: "string", value: t.text, pos: t.pos };
      case "(": {
        const inner = this.nested(t.pos, () => this.or());
        this.expect(")", "a closing parenthesis");
        return inner;
      }
      case "ident":
        return this.name(t);
      default:
        throw new FormulaError(t.pos, `expected a value, got ${describe(t)}`);
    }
  }

  private name(t: Token): FormulaNode {
    const lower = t.text.toLowerCase();
    if (this.peek().kind === "(") {
      this.take();
      const args: FormulaNode[] = [];
      if (this.peek().kind !== ")")
        do args.push(this.nested(t.pos, () => this.or()));
        while (this.peek().kind === "," && this.take());
      this.expect(")", "a comma or a closing parenthesis");
      return { kind: "call", name: lower, args, pos: t.pos };
    }
    const keyword = KEYWORDS[lower];
    if (keyword === "boolean") return { kind: "boolean", value: lower === "true", pos: t.pos };
    if (keyword === "null") return { kind: "null", pos: t.pos };
    if (lower === "and" || lower === "or" || lower === "not")
      throw new FormulaError(t.pos, `expected a value, got "${t.text}"`);
    if (this.peek().kind !== ".") return { kind: "field", name: t.text, pos: t.pos };
    this.take();
    const field = this.take();
    if (field.kind !== "ident") throw new FormulaError(field.pos, `expected a field name after "${t.text}."`);
    if (this.peek().kind === ".")
      throw new FormulaError(this.peek().pos, "only one level of reference is allowed (like customer.tier)");
    return { kind: "ref", via: t.text, name: field.text, pos: t.pos };
  }

  private expect(kind: Token["kind"], what: string): void {
    const t = this.take();
    if (t.kind !== kind) throw new FormulaError(t.pos, `expected ${what}, got ${describe(t)}`);
  }
}

function describe(t: Token): string {
  if (t.kind === "end") return "the end of the formula";
  if (t.kind === "string") return "a string";
  return `"${t.text}"`;
}
