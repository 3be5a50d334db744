import type { ExportCell } from "./export-columns";

/** UTF-8 byte-order mark: Excel reads a CSV as UTF-8 (Chinese included) only when it starts with one. */
export const UTF8_BOM = "\uFEFF";

/** One CSV line (CRLF-terminated): a cell is quoted when it holds a comma, quote, line break or edge space. */
export function csvLine(cells: readonly ExportCell[]): string {
  return `${cells.map(csvField).join(",")}\r\n`;
}

function csvField(cell: ExportCell): string {
  if (cell === null) return "";
  const s = String(cell);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A CSV file as a stream of UTF-8 chunks: the BOM and header, then rows in batches. */
export async function* csvChunks(header: string[], rows: AsyncIterable<ExportCell[]>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let text = UTF8_BOM + csvLine(header);
  for await (const row of rows) {
    text += csvLine(row);
    if (text.length > 64 * 1024) {
      yield encoder.encode(text);
      text = "";
    }
  }
  if (text) yield encoder.encode(text);
}
