import { FormulaError } from "./formula-ast";

export type TokenKind = "number" | "string" | "ident" | "op" | "(" | ")" | "," | "." | "end";

export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based character position. */
  pos: number;
}

const OPERATORS = ["<=", ">=", "!=", "<>", "+", "-", "*", "/", "=", "<", ">"];
const MAX_NUMBER_DIGITS = 30;

/**
 * Splits a formula into tokens. Anything that is not a number, a 'string', an identifier, an operator, a
 * parenthesis, a comma or a dot is refused with its position, so quotes, semicolons, comments and `$` never
 * reach the parser.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const pos = i + 1;
    if (/\s/.test(c)) i++;
    else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i)) as RegExpExecArray;
      if (m[0].replace(".", "").length > MAX_NUMBER_DIGITS)
        throw new FormulaError(pos, `number has more than ${MAX_NUMBER_DIGITS} digits`);
      if (/[A-Za-z_]/.test(source[i + m[0].length] ?? ""))
        throw new FormulaError(pos + m[0].length, "unexpected letter after a number");
      tokens.push({ kind: "number", text: m[0], pos });
      i += m[0].length;
    } else if (c === "'") {
      const [value, end] = readString(source, i);
      tokens.push({ kind: "string", text: value, pos });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: "ident", text: m[0], pos });
      i += m[0].length;
    } else if (c === "(" || c === ")" || c === "," || c === ".") {
      tokens.push({ kind: c, text: c, pos });
      i++;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new FormulaError(pos, `unexpected character ${JSON.stringify(c)}`);
      tokens.push({ kind: "op", text: op === "<>" ? "!=" : op, pos });
      i += op.length;
    }
  }
  tokens.push({ kind: "end", text: "", pos: source.length + 1 });
  return tokens;
}

/** Reads a 'quoted' string starting at `start`; a quote inside is doubled (`'it''s'`). */
function readString(source: string, start: number): [string, number] {
  let value = "";
  let i = start + 1;
  for (;;) {
    if (i >= source.length) throw new FormulaError(start + 1, "string is not closed with '");
    const c = source[i];
    if (c === "'") {
      if (source[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      if (!value.isWellFormed()) throw new FormulaError(start + 1, "string holds an unpaired surrogate");
      return [value, i + 1];
    } else {
      if (c === "\u0000") throw new FormulaError(i + 1, "a string may not contain the NUL character");
      value += c;
      i++;
    }
  }
}
