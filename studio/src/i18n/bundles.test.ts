import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FILTER_OPERATORS, STORED_FIELD_TYPES } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { en } from "./en";
import { flattenKeys as flatten } from "./flatten-keys";
import { zhCN } from "./zh-cn";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.includes(".test.") ? [path] : [];
  });
}

const SRC = fileURLToPath(new URL("..", import.meta.url));
const enKeys = flatten(en);
const zhKeys = flatten(zhCN);
const has = (key: string) => key in enKeys || `${key}_other` in enKeys;

describe("the en and zh-CN bundles", () => {
  it("have exactly the same keys, none of them empty, and the Chinese one is Chinese", () => {
    expect(Object.keys(zhKeys).sort()).toEqual(Object.keys(enKeys).sort());
    for (const [key, text] of [...Object.entries(enKeys), ...Object.entries(zhKeys)]) expect(text, key).not.toBe("");
    const chinese = Object.values(zhKeys).filter((s) => /[\u4e00-\u9fff]/.test(s));
    expect(chinese.length / Object.keys(zhKeys).length).toBeGreaterThan(0.9);
  });

  it("hold every key the source asks for by name", () => {
    const used = new Set<string>();
    for (const file of sources(SRC))
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([a-zA-Z0-9_.-]+)"/g)) used.add(m[1]);
    expect(used.size).toBeGreaterThan(80);
    expect([...used].filter((k) => !has(k))).toEqual([]);
  });

  it("hold every key built from a value: operators, field types, plan steps", () => {
    const built = [
      ...FILTER_OPERATORS.map((op) => `filter.ops.${op}`),
      ...STORED_FIELD_TYPES.map((type) => `types.${type}`),
      ...["restrict", "setNull", "cascade"].map((v) => `designer.onDeleteOptions.${v}`),
      ...["user", "department", "none"].map((v) => `designer.ownershipOptions.${v}`),
      ...["count", "sum", "min", "max", "avg"].map((v) => `designer.functions.${v}`),
      ...["min", "max", "precision", "scale"].map((v) => `designer.${v}`),
      ...["zh-CN", "en"].map((v) => `shell.locales.${v}`),
      ...["create", "update", "delete", "restore", "ownership"].map((v) => `audit.actions.${v}`),
      // Every event the engine writes into an instance's history (the studio's history table labels each).
      ...[
        ...["start", "end", "timeout", "completed", "failed", "cancelled", "retried"],
        ...["claimed", "delegated", "commented", "withdrawn"],
        ...["planned", "voted", "substituted", "redirected", "escalated"].map((v) => `approval.${v}`),
      ].map((v) => `workflow.events.${v}`),
    ];
    expect(built.filter((k) => !has(k))).toEqual([]);
  });
});
