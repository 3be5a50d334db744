import { FormulaError } from "../computed/formula-ast";

/** A BPMN expression rewritten into the formula language, and where each of its characters came from. */
export interface Translated {
  text: string;
  /** The 1-based position in the text as written of a 1-based position in `text`. */
  originalPosition(position: number): number;
}

type Kind = "space" | "string" | "number" | "ident" | "op";

interface Token {
  kind: Kind;
  /** As written. */
  text: string;
  /** The value of a string literal. */
  value?: string;
  /** 0-based offset in the source. */
  at: number;
}

interface Piece {
  text: string;
  at: number;
  /** Copied as written, so each character maps to its own; else the whole piece maps to `at`. */
  verbatim: boolean;
}

// Longest first, so `!=` is not read as `!` then `=`.
const OPERATORS = ["&&", "||", "==", "!=", "<=", ">=", "<>", "->", "+="];

const SYMBOLS: Record<string, string> = { "&&": " and ", "||": " or ", "==": " = " };
const WORDS: Record<string, string> = {
  eq: " = ",
  ne: " != ",
  lt: " < ",
  gt: " > ",
  le: " <= ",
  ge: " >= ",
  div: " / ",
};

const REFUSED_SYMBOLS: Record<string, string> = {
  "?": "the conditional a ? b : c is not supported; write if(a, b, c)",
  ":": "function prefixes (fn:name) are not supported; call a formula function by its name, like upper(name)",
  "[": "index access [...] is not supported; read a field with a dot (record.amount)",
  "%": "the remainder (% or mod) is not supported",
  ";": "only one expression is allowed (no ;)",
  "->": "lambda expressions (x -> ...) are not supported",
  "+=": "string concatenation with += is not supported; use concat(a, b)",
  "#": `deferred expressions #{...} are not supported; write \${...}`,
  "{": "set and map literals {...} are not supported",
};
const REFUSED_WORDS: Record<string, string> = {
  mod: "the remainder (% or mod) is not supported",
  instanceof: "instanceof is not supported",
  execution: `Camunda's execution object is not available; expressions read process variables by name, like \${amount}`,
};

/**
 * Rewrites a BPMN expression written in JUEL, as Camunda users do (`amount > 50000 && status == "approved"`,
 * `!approved`, `x eq 'a'`, `not empty comment`), into Kehu's formula language, and leaves one already written in the
 * formula language (`amount > 10000 and tier = 'gold'`) as it is. String literals are kept whole: both quotes, JUEL's
 * backslash escapes and the formula language's doubled quote. `empty x` becomes `is_empty(x)`. JUEL that has no
 * translation (method and bean calls, the conditional operator, index access) is refused with a FormulaError at its
 * position in the text as written.
 */
export function translateJuel(source: string): Translated {
  const tokens = tokenize(source);
  const pieces: Piece[] = [];
  emit(tokens, 0, tokens.length, pieces);
  return {
    text: pieces.map((p) => p.text).join(""),
    originalPosition: (position) => originalPosition(pieces, position, source.length),
  };
}

function originalPosition(pieces: Piece[], position: number, sourceLength: number): number {
  let start = 1;
  for (const p of pieces) {
    if (position < start + p.text.length) return p.at + 1 + (p.verbatim ? position - start : 0);
    start += p.text.length;
  }
  return sourceLength + 1;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const c = source[i];
    let token: Token;
    if (/\s/.test(c)) token = { kind: "space", text: /^\s+/.exec(rest)![0], at: i };
    else if (/[0-9]/.test(c))
      token = { kind: "number", text: /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(rest)![0], at: i };
    else if (c === "'" || c === '"') token = readString(source, i);
    else if (/[A-Za-z_]/.test(c)) token = { kind: "ident", text: /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)![0], at: i };
    else token = { kind: "op", text: OPERATORS.find((o) => rest.startsWith(o)) ?? c, at: i };
    tokens.push(token);
    i += token.text.length;
  }
  return tokens;
}

/**
 * A string literal in either quote. In double quotes (JUEL only) a backslash escapes a quote or a backslash; in single
 * quotes a doubled quote is one quote and a backslash is itself, as the formula language has always read it
 * (`'C:\'` stays a path), so expressions deployed before JUEL was accepted keep their meaning.
 */
function readString(source: string, start: number): Token {
  const quote = source[start];
  let value = "";
  let i = start + 1;
  for (;;) {
    if (i >= source.length) throw new FormulaError(start + 1, `string is not closed with ${quote}`);
    const c = source[i];
    if (c === "\\" && quote === '"' && ['"', "\\"].includes(source[i + 1])) {
      value += source[i + 1];
      i += 2;
    } else if (c === quote && quote === "'" && source[i + 1] === "'") {
      value += "'";
      i += 2;
    } else if (c === quote) {
      return { kind: "string", text: source.slice(start, i + 1), value, at: start };
    } else {
      value += c;
      i++;
    }
  }
}

/** The index of the next token that is not white space, at or after `i`. */
function next(tokens: Token[], i: number): number {
  while (tokens[i]?.kind === "space") i++;
  return i;
}

function previous(tokens: Token[], i: number): Token | undefined {
  let j = i - 1;
  while (tokens[j]?.kind === "space") j--;
  return tokens[j];
}

const isOp = (t: Token | undefined, text: string) => t?.kind === "op" && t.text === text;

/** The index after the parenthesis that closes the one at `open`, or the end when none does. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], "(")) depth++;
    else if (isOp(tokens[i], ")") && --depth === 0) return i + 1;
  }
  return tokens.length;
}

/**
 * The index after the operand of a JUEL unary operator (`!`, `empty`) starting at `i`: more unary operators, then a
 * literal, a parenthesised expression, or a name with its `.field`s and call arguments. JUEL binds these operators
 * tighter than any binary one, so `!a == b` is `(!a) == b`.
 */
function operandEnd(tokens: Token[], i: number): number {
  const j = next(tokens, i);
  const t = tokens[j];
  if (!t) return j;
  if (isOp(t, "!") || isOp(t, "-") || (t.kind === "ident" && ["not", "empty"].includes(t.text)))
    return operandEnd(tokens, j + 1);
  if (isOp(t, "(")) return closing(tokens, j);
  if (t.kind !== "ident") return t.kind === "op" ? j : j + 1;
  let end = j + 1;
  for (;;) {
    const k = next(tokens, end);
    if (isOp(tokens[k], "(")) end = closing(tokens, k);
    else if (isOp(tokens[k], ".") && tokens[next(tokens, k + 1)]?.kind === "ident") end = next(tokens, k + 1) + 1;
    else return end;
  }
}

/** Whether `t` can start the operand of `empty` (else `empty` is a variable's name). */
function startsOperand(t: Token | undefined): boolean {
  return t !== undefined && (t.kind !== "op" || isOp(t, "(") || isOp(t, "!"));
}

/** Whether `t` is an operator that wants a value after it (`==`, `+`, `eq`), not a condition's start. */
function followsOperator(t: Token | undefined): boolean {
  if (t?.kind === "ident") return Object.hasOwn(WORDS, t.text);
  return t?.kind === "op" && t.text !== "(" && t.text !== ",";
}

/** Why `execution...` is refused; `execution.getVariable("x")` is answered with `${x}`. */
function executionReason(tokens: Token[], dot: number): string {
  const method = next(tokens, dot + 1);
  const open = next(tokens, method + 1);
  const name = tokens[next(tokens, open + 1)];
  if (isOp(tokens[dot], ".") && tokens[method]?.kind === "ident" && isOp(tokens[open], "("))
    return `method calls are not supported: execution.${tokens[method].text}(...) has no equivalent${
      name?.kind === "string" && tokens[method].text === "getVariable"
        ? `; name the variable itself: \${${name.value}}`
        : ""
    }`;
  return REFUSED_WORDS.execution;
}

function refuse(t: Token, reason: string): never {
  throw new FormulaError(t.at + 1, reason);
}

function emit(tokens: Token[], from: number, to: number, out: Piece[]): void {
  let i = from;
  while (i < to) {
    const t = tokens[i];
    const before = previous(tokens, i);
    const afterIndex = next(tokens, i + 1);
    const after = afterIndex < to ? tokens[afterIndex] : undefined;
    if (t.kind === "string") {
      out.push({ text: `'${t.value!.replaceAll("'", "''")}'`, at: t.at, verbatim: false });
    } else if (t.kind === "ident" && isOp(before, ".")) {
      if (isOp(after, "("))
        refuse(
          t,
          `method calls (.${t.text}(...)) are not supported; expressions read process variables and call formula functions only`,
        );
      out.push({ text: t.text, at: t.at, verbatim: true });
    } else if (t.kind === "ident" && t.text === "execution") {
      refuse(t, executionReason(tokens, afterIndex));
    } else if (t.kind === "ident" && Object.hasOwn(REFUSED_WORDS, t.text)) {
      refuse(t, REFUSED_WORDS[t.text]);
    } else if (t.kind === "ident" && Object.hasOwn(WORDS, t.text)) {
      out.push({ text: WORDS[t.text], at: t.at, verbatim: false });
    } else if (t.kind === "ident" && t.text === "empty" && startsOperand(after)) {
      i = unary(tokens, i, to, "is_empty(", ")", out);
      continue;
    } else if (isOp(t, "!") || (t.kind === "ident" && t.text === "not" && followsOperator(before))) {
      // `a == not b` parenthesised: the formula language takes `not` only where a condition starts.
      i = unary(tokens, i, to, "(not ", ")", out);
      continue;
    } else if (t.kind === "op" && Object.hasOwn(REFUSED_SYMBOLS, t.text)) {
      refuse(t, REFUSED_SYMBOLS[t.text]);
    } else if (t.kind === "op" && Object.hasOwn(SYMBOLS, t.text)) {
      out.push({ text: SYMBOLS[t.text], at: t.at, verbatim: false });
    } else {
      out.push({ text: t.text, at: t.at, verbatim: true });
    }
    i++;
  }
}

/** A unary operator at `i` wrapped around its operand: `open` operand `close`. Returns the index after the operand. */
function unary(tokens: Token[], i: number, to: number, open: string, close: string, out: Piece[]): number {
  const end = Math.min(operandEnd(tokens, i + 1), to);
  out.push({ text: open, at: tokens[i].at, verbatim: false });
  emit(tokens, Math.min(next(tokens, i + 1), end), end, out);
  if (close) out.push({ text: close, at: tokens[end - 1].at, verbatim: false });
  return end;
}
