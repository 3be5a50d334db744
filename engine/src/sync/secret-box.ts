import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { AppError } from "@kehu/core";

const PREFIX = "kehu:v1:";

/** Encrypts and decrypts connection secrets with AES-256-GCM; each value gets its own nonce. */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new AppError("bad_request", "The secret key must be 32 bytes");
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
  }

  open(sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw new AppError("bad_request", "The value is not an encrypted secret");
    const raw = Buffer.from(sealed.slice(PREFIX.length), "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      throw new AppError(
        "bad_request",
        "A connection secret cannot be decrypted with this secret key (KEHU_SECRET_KEY)",
      );
    }
  }

  static isSealed(value: unknown): value is string {
    return typeof value === "string" && value.startsWith(PREFIX);
  }
}

/**
 * The secret key: `KEHU_SECRET_KEY` (base64 of 32 bytes), else a key file generated once (mode 0600):
 * `KEHU_SECRET_KEY_FILE`, or `secret.key` in `KEHU_DATA_DIR`, or `.kehu/secret.key` under the working directory.
 */
export function loadSecretBox(env: Record<string, string | undefined>, cwd: string): SecretBox {
  if (env.KEHU_SECRET_KEY) {
    const key = Buffer.from(env.KEHU_SECRET_KEY, "base64");
    if (key.length !== 32)
      throw new AppError("bad_request", `KEHU_SECRET_KEY must be base64 of 32 bytes (it decodes to ${key.length})`);
    return new SecretBox(key);
  }
  const file = resolve(
    cwd,
    env.KEHU_SECRET_KEY_FILE ||
      (env.KEHU_DATA_DIR ? join(env.KEHU_DATA_DIR, "secret.key") : join(".kehu", "secret.key")),
  );
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // "wx": two processes starting at once never overwrite each other's key.
    try {
      writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    chmodSync(file, 0o600);
  }
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new AppError("bad_request", `The secret key file ${file} does not hold 32 bytes`);
  return new SecretBox(key);
}
