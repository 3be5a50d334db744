import { describe, expect, it } from "vitest";
import { csvRows, detectDelimiter } from "./csv-rows";

async function rows(bytes: Uint8Array[] | string, options = {}) {
  const chunks = typeof bytes === "string" ? [new TextEncoder().encode(bytes)] : bytes;
  const out = [];
  for await (const r of csvRows(
    (async function* () {
      yield* chunks;
    })(),
    options,
  ))
    out.push(r);
  return out;
}

describe("csvRows", () => {
  it("drops the BOM, keeps quoted delimiters and line breaks, numbers rows as a spreadsheet does", async () => {
    const got = await rows('\uFEFFname,note\r\n"Li, Na","two\nlines"\r\n\r\nWang,x\r\n');
    expect(got).toEqual([
      { row: 1, cells: ["name", "note"] },
      { row: 2, cells: ["Li, Na", "two\nlines"] },
      { row: 3, cells: [""] },
      { row: 4, cells: ["Wang", "x"] },
    ]);
  });

  it("detects semicolons and tabs from the header, ignoring quoted ones", () => {
    expect(detectDelimiter("a;b;c\n1,2;3")).toBe(";");
    expect(detectDelimiter("a\tb\n")).toBe("\t");
    expect(detectDelimiter('"a;b",c\n')).toBe(",");
  });

  it("decodes GB18030 when the bytes are not UTF-8, even split across chunks", async () => {
    // 名称 / 张三 in GB18030
    const bytes = new Uint8Array([0xc3, 0xfb, 0xb3, 0xc6, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x0a]);
    expect(await rows([bytes.slice(0, 6), bytes.slice(6)])).toEqual([
      { row: 1, cells: ["名称"] },
      { row: 2, cells: ["张三"] },
    ]);
  });

  it("says where a broken file stops being readable", async () => {
    await expect(rows('a,b\n1,"open\n')).rejects.toThrow(/after row 1/);
  });
});
