import { createAjv } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import type { CheckResult, StreamDescriptor } from "../contract";
import { checkSpec, checkStreamSchema } from "./check-spec";
import { checkRead, checkResume } from "./check-stream";
import { checkWriteIdempotent, checkWriteOrder, withSession } from "./check-write";
import type { ConformanceOptions } from "./conformance-options";

/**
 * The contract suite every connector runs: spec, check, discover, read with resumable checkpoints, and
 * ordered, idempotent writes. Call it at the top level of a test file (or inside a `describe`).
 *
 * @example
 * describeConnectorConformance({
 *   connector: sapB1Connector,
 *   config: () => ({ baseUrl: sim.url, companyDb: "SBODEMOCN", userName: "manager", password: "1234" }),
 *   badCredentials: () => ({ ...good(), password: "wrong" }),
 *   unreachable: () => ({ ...good(), baseUrl: "http://127.0.0.1:9/b1s/v1" }),
 *   streams: { items: { minRecords: 100 } },
 * });
 */
export function describeConnectorConformance<Config>(options: ConformanceOptions<Config>): void {
  const { connector } = options;
  const timeout = options.timeoutMs ?? 60_000;
  const open = () => connector.open(options.config());
  const streamOf = async (name: string): Promise<StreamDescriptor> => {
    const catalog = await withSession(open, (session) => session.discover());
    const stream = catalog.streams.find((candidate) => candidate.name === name);
    if (!stream) throw new Error(`discover does not list the stream "${name}"`);
    return stream;
  };

  describe(`connector conformance: ${connector.spec.name}`, () => {
    it("spec is a valid JSON Schema, secrets are marked x-secret, the test config passes it", () => {
      checkSpec(connector.spec);
      const validate = createAjv().compile(connector.spec.config);
      expect(validate(options.config()), JSON.stringify(validate.errors)).toBe(true);
    });

    it("check succeeds on a good config", { timeout }, async () => {
      expect(await withSession(open, (session) => session.check())).toEqual({ ok: true });
    });

    it.each([
      ["bad credentials", () => options.badCredentials()],
      ["an unreachable host", () => options.unreachable()],
    ])("check fails readably on %s", { timeout }, async (_label, config) => {
      const result = await withSession(
        () => connector.open(config()),
        (session) => session.check(),
      );
      expectReadableFailure(result, options.config());
    });

    it("discover lists every stream with a schema, a primary key, directions and a fixture", { timeout }, async () => {
      const catalog = await withSession(open, (session) => session.discover());
      expect(catalog.streams.map((stream) => stream.name).sort()).toEqual(Object.keys(options.streams).sort());
      for (const stream of catalog.streams) {
        expect(stream.primaryKey.length).toBeGreaterThan(0);
        expect(stream.directions.length).toBeGreaterThan(0);
        for (const direction of stream.directions) expect(["pull", "push"]).toContain(direction);
        checkStreamSchema(stream.schema, [...stream.primaryKey, ...(stream.cursorField ?? [])]);
      }
    });

    for (const [name, fixture] of Object.entries(options.streams)) {
      describe(`stream ${name}`, () => {
        it("read yields schema-valid records and JSON checkpoints", { timeout }, async () => {
          const stream = await streamOf(name);
          if (!stream.directions.includes("pull")) return;
          await withSession(open, (session) => checkRead(session, stream, fixture));
        });
        it("resuming from any checkpoint neither skips nor duplicates beyond the overlap", { timeout }, async () => {
          const stream = await streamOf(name);
          if (!stream.directions.includes("pull")) return;
          await withSession(open, (session) => checkResume(session, stream, fixture));
        });
        const write = fixture.write;
        if (!write) return;
        it("write returns one result per input, in order", { timeout }, async () => {
          expect((await streamOf(name)).directions).toContain("push");
          await withSession(open, (session) => checkWriteOrder(session, name, write));
        });
        it("writing twice with the same idempotency keys creates each document once", { timeout }, async () => {
          await checkWriteIdempotent(open, name, write);
        });
      });
    }
  });
}

function expectReadableFailure(result: CheckResult, goodConfig: unknown): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.message).toMatch(/\w{3,}/);
  expect(result.message).not.toMatch(/\[object Object\]|undefined/);
  expect(result.message.length).toBeLessThan(500);
  for (const secret of secretValues(goodConfig)) expect(result.message).not.toContain(secret);
}

function secretValues(config: unknown): string[] {
  const values = Object.entries((config ?? {}) as Record<string, unknown>);
  return values
    .filter(([name, value]) => /password|secret|token/i.test(name) && typeof value === "string" && value.length > 3)
    .map(([, value]) => value as string);
}
