import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

const VERSION = "scrypt1";
const PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, PARAMS, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A versioned scrypt hash with its own random salt: `scrypt1$<salt>$<key>` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `${VERSION}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

// Unknown logins are checked against this, so that they take as long as known ones.
let dummyHash: Promise<string> | undefined;

/**
 * True when `password` matches `stored`. A missing or unreadable hash still costs one scrypt run, so
 * the time taken does not tell whether the login exists.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = stored?.split("$");
  if (parts?.length !== 3 || parts[0] !== VERSION) {
    dummyHash ??= hashPassword("kehu-dummy-password");
    const [, salt] = (await dummyHash).split("$");
    await derive(password, Buffer.from(salt!, "base64url"));
    return false;
  }
  const expected = Buffer.from(parts[2]!, "base64url");
  const actual = await derive(password, Buffer.from(parts[1]!, "base64url"));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Password rules for new passwords: at least 8 characters, at most 1024. Returns the problem, if any. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== "string") return "must be a string";
  if ([...password].length < 8) return "must have at least 8 characters";
  if (password.length > 1024) return "must have at most 1024 characters";
  return undefined;
}
