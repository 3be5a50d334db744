import type { Readable } from "node:stream";
import { AppError } from "@kehu/core";
import ExcelJS from "exceljs";
import type { SheetRow } from "./sheet-row";
import { xlsxCell } from "./xlsx-cell";

export interface XlsxReadOptions {
  /** The sheet to read by name; the first sheet when not given. */
  sheet?: string;
}

/** The rows of one worksheet of an XLSX file, streamed (ExcelJS's streaming reader), numbered as Excel shows them. */
export async function* xlsxRows(input: Readable, options: XlsxReadOptions = {}): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  const seen: string[] = [];
  let found = false;
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      seen.push(name);
      const wanted = !found && (options.sheet === undefined || options.sheet === name);
      for await (const row of sheet) {
        if (!wanted) continue;
        const values = row.values as unknown[];
        const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => xlsxCell(values[i + 1]));
        yield { row: row.number, cells };
      }
      if (wanted) found = true;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("bad_request", `The XLSX file cannot be read: ${(e as Error).message}`);
  }
  if (!found && options.sheet !== undefined)
    throw new AppError("bad_request", `No sheet named "${options.sheet}"; the file has: ${seen.join(", ")}`, [
      { path: "/sheet", message: "no such sheet" },
    ]);
}
