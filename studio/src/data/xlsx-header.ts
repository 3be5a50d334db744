/**
 * The header cells (first row of the first sheet) of an XLSX file, read in the browser without a spreadsheet
 * library: the zip's central directory, the browser's deflate-raw stream and DOMParser. The server reads the whole
 * file; this only feeds the column mapping step.
 */
export async function xlsxHeader(buffer: ArrayBuffer): Promise<string[]> {
  const files = zipEntries(buffer);
  const sheet = files.get("xl/worksheets/sheet1.xml");
  if (!sheet) throw new Error("Not an Excel (.xlsx) workbook");
  const parse = async (name: string) => {
    const entry = files.get(name);
    return entry ? new DOMParser().parseFromString(await inflate(buffer, entry), "application/xml") : null;
  };
  const shared = [...((await parse("xl/sharedStrings.xml"))?.getElementsByTagName("si") ?? [])].map(textOf);
  const row = (await parse("xl/worksheets/sheet1.xml"))?.getElementsByTagName("row")[0];
  const cells: string[] = [];
  for (const c of row ? [...row.getElementsByTagName("c")] : []) {
    const index = columnIndex(c.getAttribute("r")) ?? cells.length;
    const v = c.getElementsByTagName("v")[0]?.textContent ?? "";
    const type = c.getAttribute("t");
    cells[index] = (type === "s" ? shared[Number(v)] : type === "inlineStr" ? textOf(c) : v)?.trim() ?? "";
  }
  return Array.from(cells, (c) => c ?? "");
}

interface ZipEntry {
  method: number;
  size: number;
  offset: number;
}

function zipEntries(buffer: ArrayBuffer): Map<string, ZipEntry> {
  const view = new DataView(buffer);
  let end = buffer.byteLength - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("Not an Excel (.xlsx) workbook");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count && view.getUint32(at, true) === 0x02014b50; i++) {
    const nameLength = view.getUint16(at + 28, true);
    const name = names.decode(new Uint8Array(buffer, at + 46, nameLength));
    const local = view.getUint32(at + 42, true);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    entries.set(name, {
      method: view.getUint16(at + 10, true),
      size: view.getUint32(at + 20, true),
      offset: dataStart,
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

async function inflate(buffer: ArrayBuffer, entry: ZipEntry): Promise<string> {
  const bytes = new Uint8Array(buffer, entry.offset, entry.size);
  if (entry.method === 0) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(stream).text();
}

function textOf(node: Element): string {
  return [...node.getElementsByTagName("t")].map((t) => t.textContent ?? "").join("");
}

function columnIndex(ref: string | null): number | undefined {
  const letters = /^([A-Z]+)/.exec(ref ?? "")?.[1];
  if (!letters) return undefined;
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}
