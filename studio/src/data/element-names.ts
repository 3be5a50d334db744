/**
 * The names the designer gave a process's elements (`<userTask id="review" name="Approve the quote">`), by id,
 * read from the deployed BPMN XML; elements without a name are left out.
 *
 * @example
 * elementNames('<definitions><process id="p"><userTask id="review" name="Review"/></process></definitions>')
 * // Map {"p" => ..., "review" => "Review"} (only elements with a name)
 */
export function elementNames(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  const names = new Map<string, string>();
  for (const el of Array.from(doc.getElementsByTagName("*"))) {
    const id = el.getAttribute("id");
    const name = el.getAttribute("name")?.trim();
    if (id && name) names.set(id, name);
  }
  return names;
}
