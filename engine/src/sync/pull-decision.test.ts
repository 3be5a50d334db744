import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { decidePull } from "./pull-decision";

const entity: EntityDefinition = {
  name: "account",
  fields: [
    { name: "name", type: "text" },
    { name: "credit", type: "decimal" },
  ],
};
const link = {
  record_id: "r",
  external_key: "C1",
  last_hash: "h",
  last_payload: { name: "A", credit: "10" },
  source: null,
  crm_version: 3,
};
const crm = (v: number, values: Record<string, unknown>) => ({
  id: "r",
  version: v,
  updated_at: "2026-06-01T00:00:00.000Z",
  deleted_at: null,
  ...values,
});

/** Decides a pull of `body` over a linked record last synced as `link`, now at `crmRecord`. */
const decide = (
  body: Record<string, unknown>,
  crmRecord: Record<string, unknown>,
  policy: Parameters<typeof decidePull>[0]["policy"] = "manual",
  erpTime?: number,
) => decidePull({ entity, body, link, crm: crmRecord, policy, erpTime });

describe("decidePull", () => {
  it("applies what only the ERP changed and sees spelling differences as no change", () => {
    expect(decide({ name: "B", credit: 10 }, crm(3, { name: "A", credit: "10.00" }))).toEqual({
      kind: "apply",
      patch: { name: "B" },
      erpMoved: true,
      crmAgrees: true,
    });
  });

  it("keeps what only the CRM changed, and leaves the link behind so push sends it", () => {
    const d = decide({ name: "A", credit: "11" }, crm(4, { name: "A2", credit: "10" }));
    expect(d).toEqual({ kind: "apply", patch: { credit: "11" }, erpMoved: true, crmAgrees: false });
  });

  it("is a conflict only when both changed the same field to different values", () => {
    const same = decide({ name: "Z", credit: "10" }, crm(4, { name: "Z", credit: "10" }));
    expect(same).toEqual({ kind: "apply", patch: {}, erpMoved: true, crmAgrees: true });
    const both = decide({ name: "E", credit: "10" }, crm(4, { name: "C", credit: "10" }));
    expect(both).toMatchObject({
      kind: "conflict",
      chose: null,
      patch: {},
      fields: { name: { crm: "C", erp: "E", base: "A" } },
    });
    const newer = decide(
      { name: "E", credit: "10" },
      crm(4, { name: "C", credit: "10" }),
      "newest_wins",
      Date.parse("2026-07-01"),
    );
    expect(newer).toMatchObject({ kind: "conflict", chose: "erp", patch: { name: "E" } });
  });
});
