import { Readable } from "node:stream";
import { AppError } from "@kehu/core";
import { type CsvReadOptions, csvRows } from "./csv-rows";
import type { SheetRow } from "./sheet-row";
import { xlsxRows } from "./xlsx-rows";

export type SheetFormat = "csv" | "xlsx";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export interface SheetReadOptions extends CsvReadOptions {
  sheet?: string;
}

/** The format of an upload from its media type, or from its file name. */
export function sheetFormatOf(mediaType: string, fileName = ""): SheetFormat | undefined {
  const type = mediaType.split(";")[0].trim().toLowerCase();
  if (type === XLSX_TYPE || /\.xlsx$/i.test(fileName)) return "xlsx";
  if (
    /^(text\/(csv|plain|tab-separated-values)|application\/(csv|vnd\.ms-excel))$/.test(type) ||
    /\.(csv|tsv|txt)$/i.test(fileName)
  )
    return "csv";
  return undefined;
}

/** The rows of a CSV or XLSX byte stream, header first. */
export function readSheet(
  format: SheetFormat,
  bytes: AsyncIterable<Uint8Array>,
  options: SheetReadOptions = {},
): AsyncGenerator<SheetRow> {
  if (format === "csv") {
    if (options.sheet !== undefined)
      throw new AppError("bad_request", "sheet names a worksheet of an XLSX file; a CSV has none", [
        { path: "/sheet", message: "only for XLSX" },
      ]);
    return csvRows(bytes, options);
  }
  return xlsxRows(Readable.from(bytes, { objectMode: false }), { sheet: options.sheet });
}
