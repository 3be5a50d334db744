import { AppError } from "@kehu/core";
import type { ImportOptions } from "./import-records";
import type { SheetReadOptions } from "./sheet-source";

const KNOWN = ["mode", "upsertBy", "mapping", "dryRun", "sheet", "delimiter", "encoding", "ignoreUnknown"];

/** The import options of `POST /api/data/:entity/import`'s query string; 400 naming what is wrong. */
export function parseImportQuery(query: Record<string, string>): {
  options: Omit<ImportOptions, "onProgress">;
  read: SheetReadOptions;
} {
  const bad = (path: string, message: string): never => {
    throw new AppError("bad_request", `${path.slice(1)} ${message}`, [{ path, message }]);
  };
  const unknown = Object.keys(query).filter((k) => !KNOWN.includes(k));
  if (unknown.length)
    throw new AppError(
      "bad_request",
      `Unknown query parameters: ${unknown.join(", ")} (use ${KNOWN.join(", ")})`,
      unknown.map((k) => ({ path: `/${k}`, message: "unknown query parameter" })),
    );
  const mode = query.mode ?? "all-or-nothing";
  if (mode !== "all-or-nothing" && mode !== "skip-invalid") bad("/mode", 'must be "all-or-nothing" or "skip-invalid"');
  let mapping: Record<string, string | null> | undefined;
  if (query.mapping !== undefined) {
    try {
      mapping = JSON.parse(query.mapping);
    } catch {
      bad("/mapping", 'must be JSON: {"<column>": "<field>"}');
    }
    if (typeof mapping !== "object" || mapping === null || Array.isArray(mapping))
      bad("/mapping", 'must be a JSON object: {"<column>": "<field>"}');
    for (const [k, v] of Object.entries(mapping!))
      if (v !== null && typeof v !== "string") bad(`/mapping/${k}`, "must be a field name or null");
  }
  const flag = (name: string): boolean | undefined => {
    const v = query[name];
    if (v === undefined) return undefined;
    if (["1", "true", ""].includes(v)) return true;
    if (["0", "false"].includes(v)) return false;
    return bad(`/${name}`, "must be true or false");
  };
  return {
    options: {
      mode: mode as ImportOptions["mode"],
      upsertBy: query.upsertBy || undefined,
      mapping,
      dryRun: flag("dryRun"),
      ignoreUnknown: flag("ignoreUnknown"),
    },
    read: {
      sheet: query.sheet,
      delimiter: query.delimiter === "tab" ? "\t" : query.delimiter,
      encoding: query.encoding,
    },
  };
}
