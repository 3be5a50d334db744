import { describe, expect, it } from "vitest";
import { cookieHeader } from "./service-layer-client";

describe("cookieHeader", () => {
  const reply = (setCookie: string[]) => ({ status: 200, headers: { "set-cookie": setCookie }, text: "" });

  it("sends B1SESSION and ROUTEID back whatever their order and attributes", () => {
    expect(cookieHeader(reply(["B1SESSION=abc;HttpOnly;", "ROUTEID=.node1; path=/b1s"]))).toBe(
      "B1SESSION=abc; ROUTEID=.node1",
    );
    expect(cookieHeader(reply(["ROUTEID=.node2; path=/b1s", "B1SESSION=abc; HttpOnly"]))).toBe(
      "ROUTEID=.node2; B1SESSION=abc",
    );
  });

  it("splits cookies a proxy folded into one header, but not at an Expires date's comma", () => {
    expect(cookieHeader(reply(["B1SESSION=abc;HttpOnly;, ROUTEID=.node1; path=/b1s"]))).toBe(
      "B1SESSION=abc; ROUTEID=.node1",
    );
    expect(
      cookieHeader(
        reply(["B1SESSION=abc; Expires=Wed, 09 Jun 2027 10:18:14 GMT; HttpOnly, ROUTEID=.node3; path=/b1s"]),
      ),
    ).toBe("B1SESSION=abc; ROUTEID=.node3");
  });
});
