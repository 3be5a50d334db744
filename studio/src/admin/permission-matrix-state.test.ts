import { describe, expect, it } from "vitest";
import { issuesAt, matrixOf, permissionBody } from "./permission-matrix-state";

describe("the permission matrix as a PUT body", () => {
  it("sends granted cells only, and only the field rules that restrict", () => {
    const body = permissionBody({
      scopes: {
        customer: { create: "own", read: "department", update: "none", delete: "none" },
        order: { read: "none" },
        invoice: { read: "department_tree", update: "all" },
      },
      fields: {
        customer: { credit: { read: true, write: false }, name: { read: true, write: true } },
        order: { secret: { read: false, write: true } },
        invoice: { total: { read: true, write: true } },
      },
    });
    expect(body).toEqual({
      entities: {
        customer: { create: "own", read: "department" },
        invoice: { read: "department_tree", update: "all" },
      },
      // A field the role cannot read cannot be written either.
      fields: { customer: { credit: { read: true, write: false } }, order: { secret: { read: false, write: false } } },
    });
  });

  it("round-trips stored permissions without touching them", () => {
    const stored = {
      entities: { customer: { read: "all" as const, update: "own" as const } },
      fields: { customer: { credit: { read: false, write: false } } },
    };
    const state = matrixOf(stored);
    state.scopes.customer!.read = "none";
    expect(stored.entities.customer.read).toBe("all");
    expect(permissionBody(matrixOf(stored))).toEqual(stored);
    expect(permissionBody(state).entities).toEqual({ customer: { update: "own" } });
  });

  it("places the server's issues on their cells", () => {
    const issues = [
      { path: "/entities/customer/read", message: "scope must be one of own, department" },
      { path: "/fields/customer/credit", message: "no field" },
    ];
    expect(issuesAt(issues, "/entities/customer/read")).toEqual(["scope must be one of own, department"]);
    expect(issuesAt(issues, "/entities/customer/update")).toEqual([]);
    expect(issuesAt(issues, "/fields/customer/credit")).toEqual(["no field"]);
  });
});
