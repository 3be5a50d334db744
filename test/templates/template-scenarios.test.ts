import { readdirSync } from "node:fs";
import { templateDir, templateScenarioFailures } from "@kehu/engine/testing";
import { describe, expect, it } from "vitest";

const templates = readdirSync(templateDir(""), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("the templates' workflow scenarios are regression tests", () => {
  for (const name of templates)
    it(`${name}: every *.scenario.yaml passes`, async () => {
      expect(await templateScenarioFailures(name)).toEqual([]);
    }, 600_000);
});
