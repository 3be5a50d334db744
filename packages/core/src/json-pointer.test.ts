import { describe, expect, it } from "vitest";
import { pointer } from "./json-pointer";

describe("pointer", () => {
  it("joins segments, escaping ~ and / in names (RFC 6901)", () => {
    expect(pointer("records", 3, "name")).toBe("/records/3/name");
    expect(pointer("mapping", "a/b~c", 0)).toBe("/mapping/a~1b~0c/0");
    expect(pointer()).toBe("");
  });
});
