import type { JsonSchema } from "@kehu/connector-kit";
import { AppError, type Issue } from "@kehu/core";
import { SecretBox } from "./secret-box";

/** What the API shows in place of a secret; sending it back keeps the stored secret. */
export const SECRET_MASK = "********";

type Config = Record<string, unknown>;

/** Paths (as key lists) of the config properties the connector's spec marks `x-secret`. */
export function secretPaths(schema: JsonSchema, prefix: string[] = []): string[][] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(props).flatMap(([key, sub]) =>
    sub["x-secret"] === true ? [[...prefix, key]] : sub.type === "object" ? secretPaths(sub, [...prefix, key]) : [],
  );
}

function mapSecrets(config: Config, schema: JsonSchema, fn: (value: unknown, path: string[]) => unknown): Config {
  const out = structuredClone(config);
  for (const path of secretPaths(schema)) {
    let node: Config | undefined = out;
    for (const key of path.slice(0, -1)) node = node?.[key] as Config | undefined;
    const last = path[path.length - 1];
    if (node && typeof node === "object" && node[last] !== undefined && node[last] !== null)
      node[last] = fn(node[last], path);
  }
  return out;
}

/** Encrypts the secret properties; a masked value keeps the secret stored before (an update that did not change it). */
export function sealConfig(config: Config, schema: JsonSchema, box: SecretBox, previous?: Config): Config {
  return mapSecrets(config, schema, (value, path) => {
    if (value === SECRET_MASK) {
      const old = path.reduce<unknown>((node, key) => (node as Config | undefined)?.[key], previous);
      if (!SecretBox.isSealed(old))
        throw new AppError("validation_failed", "A secret was sent masked but none is stored", [
          { path: `/config/${path.join("/")}`, message: "send the secret itself" },
        ]);
      return old;
    }
    return box.seal(JSON.stringify(value));
  });
}

/** The config as the API shows it: every secret masked. */
export function maskConfig(config: Config, schema: JsonSchema): Config {
  return mapSecrets(config, schema, () => SECRET_MASK);
}

/** The config a session opens with: secrets decrypted, then `${NAME}` references resolved from the environment. */
export function openConfig(
  config: Config,
  schema: JsonSchema,
  box: SecretBox,
  env: Record<string, string | undefined>,
): Config {
  const plain = mapSecrets(config, schema, (value) =>
    SecretBox.isSealed(value) ? JSON.parse(box.open(value)) : value,
  );
  const issues: Issue[] = [];
  const resolved = resolveEnv(plain, env, "/config", issues) as Config;
  if (issues.length)
    throw new AppError("validation_failed", "The connection names environment variables that are not set", issues);
  return resolved;
}

function resolveEnv(value: unknown, env: Record<string, string | undefined>, path: string, issues: Issue[]): unknown {
  if (typeof value === "string")
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const found = env[name];
      if (found === undefined) issues.push({ path, message: `environment variable ${name} is not set` });
      return found ?? "";
    });
  if (Array.isArray(value)) return value.map((v, i) => resolveEnv(v, env, `${path}/${i}`, issues));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnv(v, env, `${path}/${k}`, issues)]));
  return value;
}
