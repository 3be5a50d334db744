import { describe, expect, it } from "vitest";
import { externalKeyText } from "./external-key-text";

describe("externalKeyText", () => {
  it("joins a composite key's parts and leaves a single key as it is", () => {
    expect(externalKeyText('["P2008","03"]')).toBe("P2008 · 03");
    expect(externalKeyText("[2024,7]")).toBe("2024 · 7");
    expect(externalKeyText("C20001")).toBe("C20001");
    expect(externalKeyText("[not json")).toBe("[not json");
    expect(externalKeyText(null)).toBe("—");
  });
});
