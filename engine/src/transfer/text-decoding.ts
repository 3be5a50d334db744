import { TextDecoder } from "node:util";
import { AppError } from "@kehu/core";

/** Encodings a text import reads; others are refused by name. */
const KNOWN = new Set(["utf-8", "utf8", "gb18030", "gbk", "gb2312", "utf-16le", "utf-16be", "big5"]);

/**
 * The encoding of a text file from its first bytes: a byte-order mark wins; otherwise UTF-8 when the sample is
 * valid UTF-8, else GB18030 (a superset of GBK and GB2312, what Excel in a Chinese locale saves as "CSV").
 */
export function detectEncoding(sample: Uint8Array): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf-8";
  if (sample[0] === 0xff && sample[1] === 0xfe) return "utf-16le";
  if (sample[0] === 0xfe && sample[1] === 0xff) return "utf-16be";
  try {
    // stream: true, so a character cut at the end of the sample is not an error
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return "utf-8";
  } catch {
    return "gb18030";
  }
}

/** Decodes a byte stream to text chunks, in the encoding given or detected from the first chunk. */
export async function* decodeText(bytes: AsyncIterable<Uint8Array>, encoding?: string): AsyncGenerator<string> {
  if (encoding !== undefined && !KNOWN.has(encoding.toLowerCase()))
    throw new AppError("bad_request", `Unknown encoding "${encoding}"; use utf-8 or gb18030`, [
      { path: "/encoding", message: "unknown encoding" },
    ]);
  let decoder: TextDecoder | undefined;
  for await (const chunk of bytes) {
    if (!chunk.length) continue;
    decoder ??= new TextDecoder(encoding ?? detectEncoding(chunk), { ignoreBOM: false });
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder?.decode();
  if (rest) yield rest;
}
