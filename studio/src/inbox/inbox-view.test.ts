import type { WorkflowTask } from "@kehu/client";
import { describe, expect, it } from "vitest";
import { defaultInboxView } from "./inbox-view";

const task = (id: string) => ({ id }) as WorkflowTask;

describe("defaultInboxView", () => {
  it("opens on my tasks, or on the claimable ones when only those wait", () => {
    expect(defaultInboxView({ mine: [task("a")], claimable: [task("b")] })).toBe("mine");
    expect(defaultInboxView({ mine: [], claimable: [task("b")] })).toBe("claimable");
    expect(defaultInboxView({ mine: [], claimable: [] })).toBe("mine");
  });

  it("opens on the tab holding the task a link opened", () => {
    expect(defaultInboxView({ mine: [task("a")], claimable: [task("b")] }, "b")).toBe("claimable");
    expect(defaultInboxView({ mine: [task("a")], claimable: [] }, "a")).toBe("mine");
  });
});
