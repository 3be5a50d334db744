/**
 * The dependant keys of a comma-separated list, as `breaks` takes them on the API and the CLI; a comma inside a
 * key's parentheses stays in the key: `formula:contract.total,unique:contract(code,amount)` is two keys.
 */
export function splitDependentKeys(list: string): string[] {
  return list
    .split(/,(?![^()]*\))/)
    .map((key) => key.trim())
    .filter(Boolean);
}
