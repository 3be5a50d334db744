import type { Issue } from "@kehu/core";
import { pointer } from "@kehu/core";
import type { ErrorObject } from "ajv";

/** Turns Ajv errors into Kehu issues with readable messages, one per offending location. */
export function ajvIssues(errors: ErrorObject[] | null | undefined, prefix = ""): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // anyOf/oneOf summary errors repeat what their branches said.
    if (e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "if") continue;
    let path = prefix + e.instancePath;
    let message = e.message ?? "is invalid";
    switch (e.keyword) {
      case "additionalProperties": {
        const prop = (e.params as { additionalProperty: string }).additionalProperty;
        path += pointer(prop);
        message = `unknown property "${prop}"`;
        break;
      }
      case "required": {
        const prop = (e.params as { missingProperty: string }).missingProperty;
        path += pointer(prop);
        message = "is required";
        break;
      }
      case "enum":
        message = `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
        break;
      case "pattern":
        message = `must match the pattern ${(e.params as { pattern: string }).pattern}`;
        break;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path: path || "/", message });
  }
  return issues;
}
