import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { ExportCell } from "./export-columns";

/**
 * An XLSX file as a stream of chunks (ExcelJS's streaming writer, rows committed as they come). Text is written as
 * string cells, never as formulas.
 */
export function xlsxChunks(sheetName: string, header: string[], rows: AsyncIterable<ExportCell[]>): PassThrough {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  void (async () => {
    try {
      const head = sheet.addRow(header);
      head.font = { bold: true };
      head.commit();
      for await (const row of rows) sheet.addRow(row).commit();
      sheet.commit();
      await workbook.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}
