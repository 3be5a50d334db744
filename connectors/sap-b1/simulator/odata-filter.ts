import { sapErrors } from "./sap-error";

export type Literal = string | number | boolean | null;
export type Operand =
  | { kind: "property"; name: string }
  | { kind: "literal"; value: Literal }
  | { kind: "call"; name: string; args: Operand[] };
export type CompareOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "compare"; op: CompareOp; left: Operand; right: Operand }
  | { kind: "call"; name: string; args: Operand[] };

type Token = { type: "(" | ")" | "," | "string" | "number" | "word"; text: string; at: number };

const compareOps = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
export const filterFunctions = new Set(["startswith", "endswith", "contains", "substringof"]);

/** Parses the SL $filter subset: comparisons, and/or/not, parentheses, startswith/endswith/contains/substringof. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (message: string): never => {
    throw sapErrors.badRequest(`Invalid $filter '${text}': ${message}`);
  };
  const expect = (type: Token["type"]) => {
    const token = tokens[pos++];
    if (token?.type !== type) fail(`expected '${type}' at position ${token?.at ?? text.length}`);
    return token;
  };
  const isWord = (word: string) => peek()?.type === "word" && peek().text === word;

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isWord("or")) {
      pos++;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseUnary();
    while (isWord("and")) {
      pos++;
      left = { kind: "and", left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterNode => {
    if (isWord("not")) {
      pos++;
      return { kind: "not", operand: parseUnary() };
    }
    if (peek()?.type === "(") {
      pos++;
      const inner = parseOr();
      expect(")");
      return inner;
    }
    const left = parseOperand();
    const next = peek();
    if (next?.type === "word" && compareOps.has(next.text)) {
      pos++;
      return { kind: "compare", op: next.text as CompareOp, left, right: parseOperand() };
    }
    if (left.kind === "call") return left;
    return fail(`expected a comparison operator at position ${next?.at ?? text.length}`);
  };
  const parseOperand = (): Operand => {
    const token = tokens[pos++];
    if (!token) return fail("unexpected end of expression");
    if (token.type === "string") return { kind: "literal", value: token.text };
    if (token.type === "number") return { kind: "literal", value: Number(token.text) };
    if (token.type !== "word") return fail(`unexpected '${token.text}' at position ${token.at}`);
    if (token.text === "true" || token.text === "false") return { kind: "literal", value: token.text === "true" };
    if (token.text === "null") return { kind: "literal", value: null };
    if (peek()?.type !== "(") return { kind: "property", name: token.text };
    if (!filterFunctions.has(token.text)) fail(`function '${token.text}' is not supported`);
    pos++;
    const args: Operand[] = [parseOperand()];
    while (peek()?.type === ",") {
      pos++;
      args.push(parseOperand());
    }
    expect(")");
    if (args.length !== 2) fail(`function '${token.text}' takes two arguments`);
    return { kind: "call", name: token.text, args };
  };

  const tree = parseOr();
  if (pos < tokens.length) fail(`unexpected '${tokens[pos].text}' at position ${tokens[pos].at}`);
  return tree;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s+|(datetime|datetimeoffset|time)?'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w/]*)|([(),])|(.)/gy;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const at = match.index;
    if (match[2] !== undefined) tokens.push({ type: "string", text: match[2].replaceAll("''", "'"), at });
    else if (match[3] !== undefined) tokens.push({ type: "number", text: match[3], at });
    else if (match[4] !== undefined) tokens.push({ type: "word", text: match[4], at });
    else if (match[5] !== undefined) tokens.push({ type: match[5] as "(" | ")" | ",", text: match[5], at });
    else if (match[6] !== undefined) {
      throw sapErrors.badRequest(`Invalid $filter '${text}': unexpected '${match[6]}' at position ${at}`);
    }
  }
  return tokens;
}
