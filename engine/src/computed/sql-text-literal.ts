/**
 * A text constant as a PostgreSQL `U&'…'` literal in which every character but ASCII letters, digits and
 * spaces is a `\XXXX` escape: the SQL holds no quote, backslash-sequence, `?` or comment marker from the input.
 *
 * @example
 * sqlTextLiteral("it's?") // "U&'it\\0027s\\003F'::text"
 */
export function sqlTextLiteral(value: string): string {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (/^[A-Za-z0-9 ]$/.test(ch)) out += ch;
    else if (code <= 0xffff) out += `\\${code.toString(16).padStart(4, "0")}`;
    else out += `\\+${code.toString(16).padStart(6, "0")}`;
  }
  return `U&'${out}'::text`;
}
