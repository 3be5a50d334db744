// Spreadsheet programs run a cell that starts with one of these as a formula (CSV/formula injection).
const TRIGGER = /^[=+\-@\t\r]/;
const GUARDED = /^'[=+\-@\t\r']/;

/**
 * A text cell made safe to open in a spreadsheet: a leading `'` when it starts with `= + - @`, tab or CR (and when
 * it already starts with `'` followed by one of those or `'`, so `unneutralise` gives back exactly the original).
 */
export function neutralise(text: string): string {
  return TRIGGER.test(text) || GUARDED.test(text) ? `'${text}` : text;
}

/** The text `neutralise` was given: one leading `'` removed where neutralise would have added it. */
export function unneutralise(text: string): string {
  return GUARDED.test(text) ? text.slice(1) : text;
}
