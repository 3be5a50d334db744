/**
 * Breaks text into lines of at most `width` characters at spaces outside square brackets, so an option such as
 * `[--upsert-by F]` never breaks in two; lines after the first start with `indent` (counted in the width). A unit
 * longer than the width stays whole on its own line.
 */
export function wrapWords(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const unit of bracketUnits(text)) {
    const start = lines.length ? indent : "";
    if (line && (start + line).length + 1 + unit.length > width) {
      lines.push(start + line);
      line = unit;
    } else line = line ? `${line} ${unit}` : unit;
  }
  if (line || !lines.length) lines.push((lines.length ? indent : "") + line);
  return lines;
}

/** The text's space-separated words, a bracketed option (`[--map col=field ...]`) kept as one. */
function bracketUnits(text: string): string[] {
  const units: string[] = [];
  let depth = 0;
  let unit = "";
  for (const ch of text.trim()) {
    if (/\s/.test(ch) && depth === 0) {
      if (unit) units.push(unit);
      unit = "";
      continue;
    }
    if (ch === "[") depth++;
    else if (ch === "]" && depth > 0) depth--;
    unit += /\s/.test(ch) ? " " : ch;
  }
  if (unit) units.push(unit);
  return units;
}
