import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo } from "./capture-io";
import { main } from "./main";

const fixture = fileURLToPath(new URL("../workflow/harness/fixtures/harness-app", import.meta.url));
let cwd: string;
const kehu = async (...argv: string[]) => {
  const io = captureIo({ cwd, env: { DATABASE_URL: process.env.DATABASE_URL } });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
};

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), "kehu-wf-test-"));
  cpSync(fixture, join(cwd, "app"), { recursive: true });
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe("kehu workflow test", () => {
  it("runs the scenarios of a workflows folder and prints one line per scenario", async () => {
    const r = await kehu("workflow", "test", "app/workflows/scenarios");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines.slice(1, 4)).toEqual([
      "✓ A lead called within 24 h is qualified and never escalates",
      "✓ A lead not called in 24 h escalates to the manager, who delegates the review",
      "✓ A lead given beforehand is started by hand and lost",
    ]);
    expect(lines[4]).toMatch(/^3 passed, 0 failed \(3 scenarios, [\d.]+ s\)\.$/);
  }, 180_000);

  it("reports each failing scenario with its step, expectation and actual value, and exits 1", async () => {
    const r = await kehu("workflow", "test", "app/workflows/failing");
    expect(r.code).toBe(1);
    expect(r.out).toContain("✗ Expects the wrong owner — step 3: expected lead.owner = sales02, got sales01\n");
    expect(r.out).toContain(
      '✗ Completes another rep\'s task — step 3: task "call" is not for sales02 (it is for sales01)\n',
    );
    expect(r.out).toMatch(/0 passed, 3 failed \(3 scenarios, [\d.]+ s\)\./);
  }, 180_000);

  it("names the file and line of bad YAML and unknown step kinds, and runs nothing", async () => {
    writeFileSync(
      join(cwd, "app/workflows/scenarios/broken.scenario.yaml"),
      "name: Broken\nsteps:\n  - advance: [1d\n",
    );
    writeFileSync(
      join(cwd, "app/workflows/scenarios/unknown.scenario.yaml"),
      "name: Unknown step\nsteps:\n  - advance: 1d\n  - finish: call\n    as: sales01\n  - advance: soon\n",
    );
    const r = await kehu("workflow", "test", "app");
    expect(r.code).toBe(1);
    const err = r.err.split("\n");
    expect(err).toContainEqual(
      expect.stringMatching(/^app\/workflows\/scenarios\/broken\.scenario\.yaml:\d+:\d+: Flow sequence/),
    );
    expect(err).toContain(
      'app/workflows/scenarios/unknown.scenario.yaml:4:5: /steps/1: unknown step kind "finish" (use create, update, start, complete, claim, delegate, advance, expect)',
    );
    expect(err).toContain(
      'app/workflows/scenarios/unknown.scenario.yaml:6:14: /steps/2/advance: "soon" is not a duration (e.g. 30m, 24h, 7d, 1d12h, P1M)',
    );
    expect(r.err).toContain("3 problems; no scenario was run.");
    expect(r.out).not.toContain("✓");
    expect((await kehu("workflow", "test", "nowhere")).err).toContain("nowhere: no such directory");
  });
});
