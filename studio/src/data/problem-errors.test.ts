import { describe, expect, it } from "vitest";
import { issuesToErrorSchema } from "./problem-errors";

describe("the server's problem+json issues land on their form fields", () => {
  it("nests pointers into the rjsf error schema and keeps the rest for the banner", () => {
    const { errorSchema, unplaced } = issuesToErrorSchema(
      [
        { path: "/email", message: 'must match format "email"' },
        { path: "/email", message: "must be at most 254 characters" },
        { path: "/credit/amount", message: "must be a decimal" },
        { path: "/a~1b", message: "escaped" },
        { path: "/", message: "the body must be an object" },
        { path: "/unknown_field", message: "unknown field" },
      ],
      ["email", "credit", "a/b"],
    );
    expect(errorSchema).toEqual({
      email: { __errors: ['must match format "email"', "must be at most 254 characters"] },
      credit: { amount: { __errors: ["must be a decimal"] } },
      "a/b": { __errors: ["escaped"] },
    });
    expect(unplaced.map((i) => i.path)).toEqual(["/", "/unknown_field"]);
  });
});
