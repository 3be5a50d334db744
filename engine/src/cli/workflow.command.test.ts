import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { bpmnXml, chain } from "../workflow/test-bpmn";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

let db: Database;
let dir: string;
const run = async (...argv: string[]) => {
  const io = captureIo({ cwd: dir, openDatabase: keepOpen(db) });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
};

beforeAll(async () => {
  db = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), "kehu-wf-cli-"));
  writeFileSync(
    join(dir, "Onboarding.bpmn"),
    bpmnXml(`<startEvent id="s"/><userTask id="call"/><endEvent id="e"/>${chain("s", "call", "e")}`),
  );
  writeFileSync(
    join(dir, "bad.bpmn"),
    bpmnXml(`<startEvent id="s"/><serviceTask id="fax" camunda:type="external" camunda:topic="sendFax"/>`),
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.close();
});

describe("kehu workflow", () => {
  it("deploys a BPMN file under its name, once per content, and lists what is deployed", async () => {
    expect(await run("workflow", "deploy", "Onboarding.bpmn")).toMatchObject({
      code: 0,
      out: "Deployed onboarding v1.\n",
    });
    expect((await run("workflow", "deploy", "Onboarding.bpmn")).out).toContain("already has this XML");
    expect((await run("workflow", "list")).out).toBe("onboarding v1\n");
  });

  it("prints each refused element and fails", async () => {
    const res = await run("workflow", "deploy", "bad.bpmn", "--key", "faxing");
    expect(res.code).toBe(1);
    expect(res.err).toContain('/elements/fax: fax: unknown service "sendFax"');
    expect((await run("workflow", "deploy", "missing.bpmn")).err).toContain("cannot read missing.bpmn");
  });
});
