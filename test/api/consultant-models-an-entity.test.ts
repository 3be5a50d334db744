import { KehuApiError, KehuClient } from "@kehu/client";
import { startTestEngine, type TestEngine } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let engine: TestEngine;
let kehu: KehuClient;
beforeAll(async () => {
  engine = await startTestEngine();
  kehu = new KehuClient({ baseUrl: engine.server.url, token: engine.admin.token });
});
afterAll(() => engine.close());

describe("a consultant models an entity and the API follows at once", () => {
  it("previews, applies, uses, extends and pages through a dealer entity over the wire", async () => {
    const dealer = {
      name: "dealer",
      label: { en: "Dealer", zh: "经销商" },
      titleField: "name",
      fields: [
        { name: "name", type: "text" as const, required: true },
        { name: "city", type: "text" as const },
      ],
    };
    const preview = (await kehu.entities.create(dealer, { dryRun: true })) as {
      plan: { steps: Array<{ kind: string }> };
    };
    expect(JSON.stringify(preview)).toContain("create_table");
    await expect(kehu.data("dealer").list()).rejects.toMatchObject({ status: 404 });
    await kehu.entities.create(dealer);

    const created = await kehu.data("dealer").create({ name: "宝马 4S 店", city: "上海" });
    expect(created).toMatchObject({ name: "宝马 4S 店", city: "上海", version: 1 });
    const error = await kehu
      .data("dealer")
      .create({ city: 7 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(KehuApiError);
    expect(error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["/city", "/name"]);

    await kehu.entities.update({
      ...dealer,
      fields: [...dealer.fields, { name: "brand", type: "enum", values: ["bmw", "audi"] }],
    });
    const updated = await kehu.data("dealer").update(created.id, { brand: "bmw" }, 1);
    expect(updated).toMatchObject({ brand: "bmw", version: 2 });
    await expect(kehu.data("dealer").update(created.id, { brand: "audi" }, 1)).rejects.toMatchObject({ status: 409 });

    await kehu
      .data("dealer")
      .bulk(Array.from({ length: 120 }, (_, i) => ({ name: `门店 ${i}`, city: i % 2 ? "北京" : "上海" })));
    const names: string[] = [];
    for await (const r of kehu.data("dealer").all({ filter: { city: { eq: "北京" } }, sort: "name", limit: 25 }))
      names.push(r.name as string);
    expect(names).toHaveLength(60);
    expect(new Set(names).size).toBe(60);
  });
});
