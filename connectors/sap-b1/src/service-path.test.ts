import { describe, expect, it } from "vitest";
import { collectionPath, odataString, toServicePath } from "./service-path";

describe("toServicePath", () => {
  const root = "https://sl.example.com:50000/b1s/v1";
  it.each([
    ["relative", "Items?$skip=20", "Items?$skip=20"],
    ["rooted", "/b1s/v1/Orders?$skip=20", "Orders?$skip=20"],
    [
      "absolute, on an internal node",
      "https://node2:50000/b1s/v1/Items?$select=ItemCode&$skip=40",
      "Items?$select=ItemCode&$skip=40",
    ],
    ["a function path", "SQLQueries('sql0001')/List?&$skip=5", "SQLQueries('sql0001')/List?&$skip=5"],
  ])("keeps the path of a %s link", (_form, link, expected) => {
    expect(toServicePath(link, root)).toBe(expected);
  });
});

describe("OData literals and options", () => {
  it("doubles quotes and encodes option values", () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(collectionPath("Items", { $select: "ItemCode,ItemName", $filter: "ItemCode gt 'A'", $top: undefined })).toBe(
      "Items?$select=ItemCode,ItemName&$filter=ItemCode%20gt%20'A'",
    );
  });
});
