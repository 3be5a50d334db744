import { describe, expect, it } from "vitest";
import { parseTakes } from "./apply-app";

describe("--take decisions for upgrade conflicts", () => {
  it("decides every conflict with one side, and lets a named conflict take the other", () => {
    const { decide, named } = parseTakes(["template", "customer.fields.name.label=local"]);
    expect(decide("customer.fields.name.label")).toBe("local");
    expect(decide("customer.fields.fax")).toBe("template");
    expect(named).toEqual(["customer.fields.name.label"]);
  });

  it("leaves conflicts undecided without --take", () => {
    expect(parseTakes(undefined).decide("customer.label")).toBeUndefined();
  });

  it("refuses a side that is neither template nor local, and two different global sides", () => {
    expect(() => parseTakes(["theirs"])).toThrow("--take theirs: say template or local");
    expect(() => parseTakes(["customer.label=mine"])).toThrow("--take customer.label=mine: say template or local");
    expect(() => parseTakes(["template", "local"])).toThrow("--take template and --take local contradict each other");
  });
});
