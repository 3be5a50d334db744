import type { FieldDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { matchFields } from "./field-matching";

const f = (name: string, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ name, type: "text", ...extra });
const pairs = (old: FieldDefinition[], next: FieldDefinition[]) => {
  const m = matchFields(old, next);
  return {
    kept: m.kept.map((p) => `${p.old.name}>${p.next.name}`),
    added: m.added.map((x) => x.name),
    dropped: m.dropped.map((x) => x.name),
  };
};

describe("matchFields", () => {
  it("pairs by id first, so a renamed field with an id is kept", () => {
    expect(pairs([f("code", { id: "f1" }), f("name", { id: "f2" })], [f("number", { id: "f1" }), f("name")])).toEqual({
      kept: ["code>number", "name>name"],
      added: [],
      dropped: [],
    });
  });

  it("pairs by renamedFrom, then by name", () => {
    expect(pairs([f("phone"), f("fax")], [f("mobile", { renamedFrom: "phone" }), f("email")])).toEqual({
      kept: ["phone>mobile"],
      added: ["email"],
      dropped: ["fax"],
    });
  });

  it("follows a chain of renames, and ignores the same renamedFrom once applied", () => {
    const file = [f("mobile", { renamedFrom: "phone" }), f("phone", { renamedFrom: "code" })];
    expect(pairs([f("code"), f("phone")], file)).toEqual({
      kept: ["phone>mobile", "code>phone"],
      added: [],
      dropped: [],
    });
    expect(pairs([f("phone"), f("mobile")], file)).toEqual({
      kept: ["mobile>mobile", "phone>phone"],
      added: [],
      dropped: [],
    });
  });

  it("renames and adds a field under the old name in one go", () => {
    expect(pairs([f("phone")], [f("mobile", { renamedFrom: "phone" }), f("phone")])).toEqual({
      kept: ["phone>mobile"],
      added: ["phone"],
      dropped: [],
    });
  });

  it("never pairs one old field twice", () => {
    expect(pairs([f("a", { id: "f1" })], [f("a"), f("b", { id: "f1" })])).toEqual({
      kept: ["a>b"],
      added: ["a"],
      dropped: [],
    });
  });
});
