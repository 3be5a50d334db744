import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";

describe("canonicalJson", () => {
  it("writes equal values as equal text whatever their key order, at every depth", () => {
    const a = { b: 1, a: { d: [2, { z: 1, y: "x" }], c: null }, é: "é" };
    const b = { é: "é", a: { c: null, d: [2, { y: "x", z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[2,{"y":"x","z":1}]},"b":1,"é":"é"}');
  });

  it("writes undefined as null, in objects, arrays and alone, and quotes keys as JSON does", () => {
    expect(canonicalJson({ a: undefined, 'q"k': 1 })).toBe('{"a":null,"q\\"k":1}');
    expect(canonicalJson([1, undefined])).toBe("[1,null]");
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson("文本")).toBe('"文本"');
  });
});
