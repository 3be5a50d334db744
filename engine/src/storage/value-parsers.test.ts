import { describe, expect, it } from "vitest";
import { timestamptzToIso } from "./value-parsers";

describe("timestamptzToIso", () => {
  it("gives at least milliseconds and keeps microseconds", () => {
    expect(timestamptzToIso("2026-11-20 08:30:00+00")).toBe("2026-11-20T08:30:00.000Z");
    expect(timestamptzToIso("2026-11-20 08:30:00.1+00")).toBe("2026-11-20T08:30:00.100Z");
    expect(timestamptzToIso("2026-11-20 08:30:00.123456+00")).toBe("2026-11-20T08:30:00.123456Z");
    expect(timestamptzToIso("2026-11-20 08:30:00.12345+00")).toBe("2026-11-20T08:30:00.12345Z");
  });
});
