import { describe, expect, it } from "vitest";
import { initialChunks } from "./bundle-budget";

describe("the initial JS budget", () => {
  it("counts the entry and its static imports, not the lazily loaded chunks", () => {
    const bundle = {
      "index.js": { type: "chunk" as const, fileName: "index.js", isEntry: true, imports: ["vendor.js"], code: "a" },
      "vendor.js": { type: "chunk" as const, fileName: "vendor.js", imports: ["index.js"], code: "b" },
      "designer.js": { type: "chunk" as const, fileName: "designer.js", imports: ["vendor.js"], code: "c" },
      "index.css": { type: "asset" as const, fileName: "index.css" },
    };
    expect(initialChunks(bundle).map((c) => c.fileName)).toEqual(["index.js", "vendor.js"]);
  });
});
