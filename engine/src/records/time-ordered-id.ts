import { randomFillSync } from "node:crypto";

const pool = Buffer.alloc(8 * 1024);
let offset = pool.length;
let lastMs = 0;
let sequence = 0;

/** Ten random bytes from a pool refilled 8 kB at a time (one system call per ~800 ids). */
function randomBytes10(): Buffer {
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += 10;
  return pool.subarray(offset - 10, offset);
}

/**
 * A UUID version 7 (RFC 9562): the Unix time in milliseconds, a 12-bit sequence within the millisecond, then random
 * bits. Ids created one after another sort one after another, so a bulk insert's rows land at the right-hand edge
 * of every index on them (the table's key, and the record ids of links, ledger and audit rows) instead of on a
 * random page of each: the cost of an insert stays flat as the tables grow.
 */
export function timeOrderedId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    sequence++;
    if (sequence > 0xfff) {
      ms = ++lastMs;
      sequence = 0;
    }
  } else {
    lastMs = ms;
    sequence = 0;
  }
  const random = randomBytes10();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  random.copy(bytes, 8, 0, 8);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
