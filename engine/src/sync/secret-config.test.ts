import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSecretBox, SecretBox } from "./secret-box";
import { maskConfig, openConfig, SECRET_MASK, sealConfig } from "./secret-config";

const spec = {
  type: "object",
  properties: {
    url: { type: "string" },
    password: { type: "string", "x-secret": true },
    proxy: { type: "object", properties: { token: { type: "string", "x-secret": true } } },
  },
};

describe("connection secrets", () => {
  it("encrypt each secret with its own nonce, mask them, and keep a masked one on update", () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = sealConfig({ url: "http://b1", password: "1234", proxy: { token: "t0k" } }, spec, box);
    expect(sealed.url).toBe("http://b1");
    expect(JSON.stringify(sealed)).not.toMatch(/1234|t0k/);
    expect(sealed.password).not.toBe(sealConfig({ password: "1234" }, spec, box).password);
    expect(maskConfig(sealed, spec)).toEqual({
      url: "http://b1",
      password: SECRET_MASK,
      proxy: { token: SECRET_MASK },
    });
    const again = sealConfig({ url: "http://b2", password: SECRET_MASK, proxy: { token: "new" } }, spec, box, sealed);
    expect(openConfig(again, spec, box, {})).toEqual({ url: "http://b2", password: "1234", proxy: { token: "new" } });
    expect(() => sealConfig({ password: SECRET_MASK }, spec, box)).toThrow(/masked but none is stored/);
    expect(() => openConfig(sealed, spec, new SecretBox(randomBytes(32)), {})).toThrow(/cannot be decrypted/);
  });

  it("resolve environment references when a session opens, naming the missing ones", () => {
    const box = new SecretBox(randomBytes(32));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: literal references
    const sealed = sealConfig({ url: "http://${HOST}:50000", password: "${B1_PASSWORD}" }, spec, box);
    expect(openConfig(sealed, spec, box, { HOST: "b1", B1_PASSWORD: "pw" })).toMatchObject({
      url: "http://b1:50000",
      password: "pw",
    });
    expect(() => openConfig(sealed, spec, box, { HOST: "b1" })).toThrow(/environment variables that are not set/);
  });

  it("generate the key file once, readable by its owner only, unless KEHU_SECRET_KEY is set", () => {
    const dir = mkdtempSync(join(tmpdir(), "kehu-key-"));
    const first = loadSecretBox({}, dir);
    const file = join(dir, ".kehu", "secret.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, "utf8");
    const sealed = first.seal("x");
    expect(loadSecretBox({}, dir).open(sealed)).toBe("x");
    expect(readFileSync(file, "utf8")).toBe(key);
    expect(() => loadSecretBox({ KEHU_SECRET_KEY: "c2hvcnQ=" }, dir)).toThrow(/32 bytes/);
    const env = { KEHU_SECRET_KEY: randomBytes(32).toString("base64") };
    expect(loadSecretBox(env, dir).open(loadSecretBox(env, "/nonexistent").seal("y"))).toBe("y");
  });
});
