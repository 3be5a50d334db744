import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findEntityFiles, formatFileProblem, readEntityFiles } from "./read-entity-files";

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kehu-files-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const lines = (dir: string, known?: (n: string) => boolean) =>
  readEntityFiles(dir, known).problems.map((p) => formatFileProblem({ ...p, file: p.file.slice(dir.length + 1) }));

describe("readEntityFiles", () => {
  it("reads YAML, YML and JSON files from entities/ and the folder itself", () => {
    const dir = folder({
      "entities/customer.entity.yaml": "name: customer\nfields:\n  - {name: name, type: text}\n",
      "entities/contact.entity.json":
        '{"name": "contact", "fields": [{"name": "customer", "type": "reference", "target": "customer"}]}',
      "region.entity.yml": "name: region\nfields: [{name: name, type: text}]\n",
      "entities/readme.md": "not an entity",
    });
    expect(findEntityFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual([
      "entities/contact.entity.json",
      "entities/customer.entity.yaml",
      "region.entity.yml",
    ]);
    const { files, problems } = readEntityFiles(dir);
    expect(problems).toEqual([]);
    expect(files.map((f) => f.definition.name)).toEqual(["contact", "customer", "region"]);
  });

  it("names each problem once, with the file and line:col or JSON pointer", () => {
    const dir = folder({
      "entities/customer.entity.yaml": "name: customer\nfields:\n  - name: name\n    type: txt\n",
      "entities/broken.entity.yaml": "name: broken\nfields:\n  - name: a\n    type: [\n",
      "entities/twice.entity.yaml": "name: twice\nname: again\nfields: []\n",
      "entities/bad.entity.json": '{"name": "bad",\n "fields": [1,,]}',
      "entities/deal.entity.yaml": "name: deal\nfields:\n  - {name: customer, type: reference, target: nobody}\n",
      "entities/other.entity.yaml": "name: not_other\nfields: [{name: a, type: text}]\n",
    });
    expect(lines(dir)).toEqual([
      "entities/bad.entity.json:2:15: Unexpected , in flow sequence",
      "entities/broken.entity.yaml:5:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
      "entities/twice.entity.yaml:2:1: Map keys must be unique",
      'entities/customer.entity.yaml: /fields/0/type: must be one of: "text", "longtext", "integer", "decimal", "money", "boolean", "date", "datetime", "enum", "multienum", "email", "phone", "url", "reference", "json", "formula", "rollup", "autonumber"',
      'entities/deal.entity.yaml: /fields/0/target: no entity named "nobody"',
      'entities/other.entity.yaml: /name: must match the file name ("other")',
    ]);
    expect(lines(dir, (n) => n === "nobody")).not.toContain(
      'entities/deal.entity.yaml: /fields/0/target: no entity named "nobody"',
    );
  });

  it("refuses an entity defined in two files, and a folder without entity files", () => {
    const twice = folder({
      "entities/a.entity.yaml": "name: a\nfields: [{name: x, type: text}]\n",
      "a.entity.json": '{"name": "a", "fields": [{"name": "x", "type": "text"}]}',
    });
    expect(lines(twice)).toEqual([`a.entity.json: /name: entity "a" is also defined in entities/a.entity.yaml`]);
    const empty = folder({ "README.md": "" });
    expect(readEntityFiles(empty).problems[0].message).toMatch(/^has no \*\.entity\.yaml/);
    expect(readEntityFiles(join(empty, "missing")).problems[0].message).toBe("no such directory");
  });
});
