import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords";

describe("passwords", () => {
  it("are stored as versioned scrypt hashes with a salt of their own, and verified", async () => {
    const a = await hashPassword("同一个密码-same");
    const b = await hashPassword("同一个密码-same");
    expect(a).toMatch(/^scrypt1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("同一个密码-same", a)).toBe(true);
    expect(await verifyPassword("同一个密码-Same", a)).toBe(false);
  });

  it("fail without error for a user with no or an unreadable hash", async () => {
    expect(await verifyPassword("anything-at-all", null)).toBe(false);
    expect(await verifyPassword("anything-at-all", "md5$abc")).toBe(false);
  });

  it("need at least 8 characters", () => {
    expect(passwordProblem("1234567")).toMatch(/at least 8/);
    expect(passwordProblem("12345678")).toBeUndefined();
    expect(passwordProblem(12345678)).toMatch(/string/);
  });
});
