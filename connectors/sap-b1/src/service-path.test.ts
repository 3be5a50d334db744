import { describe, expect, it } from "vitest";
import { collectionPath, nextPagePath, odataString, toServicePath } from "./service-path";

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

  it("keeps only the path below the service root when SL sits behind a reverse proxy under a path", () => {
    const proxied = "https://erp.example.com/sap/b1s/v2";
    expect(toServicePath("Items?$skip=20", proxied)).toBe("Items?$skip=20");
    expect(toServicePath("/b1s/v2/Items?$skip=20", proxied)).toBe("Items?$skip=20");
    expect(toServicePath("https://node2:50000/b1s/v2/Orders(12)", proxied)).toBe("Orders(12)");
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

describe("nextPagePath", () => {
  const requested = "Items?$select=ItemCode&$filter=UpdateDate%20ge%20'2025-08-20'&$orderby=ItemCode%20asc";
  it("keeps the requested filter, order and select when the link echoes only $skip", () => {
    expect(nextPagePath(requested, "Items?$skip=20")).toBe(`${requested}&$skip=20`);
    expect(nextPagePath(`${requested}&$skip=20`, "Items?%24skip=40")).toBe(`${requested}&$skip=40`);
  });

  it("gives the same page for a link that echoes every option", () => {
    const echoed = "Items?$select=ItemCode&$filter=UpdateDate ge '2025-08-20'&$orderby=ItemCode asc&$skip=20";
    expect(nextPagePath(requested, echoed)).toBe(`${requested}&$skip=20`);
  });

  it("follows a link without $skip, or to another resource, as given", () => {
    expect(nextPagePath(requested, "Items?$skiptoken=abc")).toBe("Items?$skiptoken=abc");
    expect(nextPagePath(requested, "Orders?$skip=20")).toBe("Orders?$skip=20");
  });
});
