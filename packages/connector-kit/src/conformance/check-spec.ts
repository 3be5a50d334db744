import { createAjv } from "@kehu/schema";
import { expect } from "vitest";
import type { ConnectorSpec, JsonSchema } from "../contract";

const secretNames = /password|secret|token|apikey|api_key|private/i;

/** The config schema compiles, is an object schema, and every secret-looking property is marked `x-secret`. */
export function checkSpec(spec: ConnectorSpec): void {
  expect(spec.name).toMatch(/^[a-z][a-z0-9-]*$/);
  expect(spec.label.en.length).toBeGreaterThan(0);
  expect(spec.version.length).toBeGreaterThan(0);
  expect(spec.config.type).toBe("object");
  expect(() => createAjv().compile(spec.config)).not.toThrow();
  const properties = (spec.config.properties ?? {}) as Record<string, JsonSchema>;
  const secrets = Object.entries(properties).filter(([name]) => secretNames.test(name));
  for (const [name, schema] of secrets) expect({ name, secret: schema["x-secret"] }).toEqual({ name, secret: true });
}

/** A stream schema compiles and declares its key and cursor fields. */
export function checkStreamSchema(schema: JsonSchema, fields: string[]): void {
  expect(schema.type).toBe("object");
  expect(() => createAjv().compile(schema)).not.toThrow();
  const properties = Object.keys((schema.properties ?? {}) as Record<string, unknown>);
  for (const field of fields) expect(properties).toContain(field);
}
