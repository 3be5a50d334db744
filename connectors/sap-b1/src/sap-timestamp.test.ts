import { describe, expect, it } from "vitest";
import { changedSinceFilter, changeStamp, minutesBefore, sapDate, sapTime } from "./sap-timestamp";

describe("SL change stamps", () => {
  it("joins UpdateDate and UpdateTime from v1 and v2 payloads into one sortable stamp", () => {
    expect(changeStamp({ UpdateDate: "2025-08-20", UpdateTime: "17:13:12" })).toBe("2025-08-20T17:13:12");
    expect(changeStamp({ UpdateDate: "2025-08-20T00:00:00Z", UpdateTime: "9:02" })).toBe("2025-08-20T09:02:00");
    expect(changeStamp({ UpdateDate: "20250820", UpdateTime: null })).toBe("2025-08-20T00:00:00");
    expect(changeStamp({ UpdateDate: null })).toBeUndefined();
    expect(sapDate("garbage")).toBeUndefined();
    expect(sapTime("171312")).toBe("17:13:12");
    expect(sapTime("17:13:12.0000000")).toBe("17:13:12");
    expect(changeStamp({ UpdateDate: "2025-08-20T00:00:00Z", UpdateTime: "1899-12-30T17:13:12Z" })).toBe(
      "2025-08-20T17:13:12",
    );
  });

  it("goes back the overlap to the minute, across midnight", () => {
    expect(minutesBefore("2025-08-20T17:13:42", 5)).toBe("2025-08-20T17:08:00");
    expect(minutesBefore("2025-03-01T00:02:10", 5)).toBe("2025-02-28T23:57:00");
  });

  it("filters on date and minute, since SL has no single change timestamp", () => {
    expect(changedSinceFilter("2025-08-20T17:08:00")).toBe(
      "UpdateDate gt '2025-08-20' or (UpdateDate eq '2025-08-20' and UpdateTime ge '17:08:00')",
    );
  });
});
