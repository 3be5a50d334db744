import { Readable } from "node:stream";
import { AppError } from "@kehu/core";
import { parse } from "csv-parse";
import type { SheetRow } from "./sheet-row";
import { decodeText } from "./text-decoding";

export interface CsvReadOptions {
  /** `,`, `;` or tab; detected from the header line when not given. */
  delimiter?: string;
  /** utf-8, gb18030, ...; detected when not given. */
  encoding?: string;
}

const CANDIDATES = [",", ";", "\t"];

/**
 * The rows of a CSV file, streamed: quoted fields may hold delimiters and newlines; a byte-order mark is dropped.
 * Row numbers count records as a spreadsheet shows them (header = 1, blank lines included).
 */
export async function* csvRows(
  bytes: AsyncIterable<Uint8Array>,
  options: CsvReadOptions = {},
): AsyncGenerator<SheetRow> {
  if (options.delimiter !== undefined && !CANDIDATES.includes(options.delimiter))
    throw new AppError("bad_request", 'delimiter must be ",", ";" or a tab', [
      { path: "/delimiter", message: "unsupported delimiter" },
    ]);
  const text = decodeText(bytes, options.encoding);
  const first = await text.next();
  if (first.done) return;
  const delimiter = options.delimiter ?? detectDelimiter(first.value);
  const parser = parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: false });
  Readable.from(
    (async function* () {
      yield first.value;
      yield* text;
    })(),
  )
    .on("error", (e) => parser.destroy(e))
    .pipe(parser);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    // Records parsed before the error may not have reached the loop yet; the parser counts them all.
    const good = Math.max(row, parser.info.records);
    throw new AppError("bad_request", `The CSV cannot be read after row ${good}: ${(e as Error).message}`, [
      { path: `/rows/${good + 1}`, message: (e as Error).message },
    ]);
  }
}

/** The candidate that occurs most often outside quotes in the first line (comma when none does). */
export function detectDelimiter(sample: string): string {
  const counts = new Map(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const ch of sample.replace(/^\uFEFF/, "")) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ",";
  for (const [c, n] of counts) if (n > counts.get(best)!) best = c;
  return best;
}
