import { describe, expect, it } from "vitest";
import { wrapWords } from "./wrap-words";

describe("wrapWords", () => {
  it("breaks at spaces within the width and indents the lines after the first", () => {
    expect(wrapWords("one two three four", 9, "  ")).toEqual(["one two", "  three", "  four"]);
  });

  it("keeps a bracketed option whole and a too-long word on its own line", () => {
    expect(wrapWords("kehu import [--map col=field ...] x", 20, "")).toEqual([
      "kehu import",
      "[--map col=field ...]",
      "x",
    ]);
  });

  it("gives one empty line for empty text", () => {
    expect(wrapWords("", 10, "  ")).toEqual([""]);
  });
});
