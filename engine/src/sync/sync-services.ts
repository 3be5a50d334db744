import type { Knex } from "knex";
import type { EngineContext } from "../engine-context";
import type { Logger } from "../logger";
import type { MetadataRegistry } from "../metadata/registry";
import type { Backend } from "../storage/database";
import type { ConnectorRegistry } from "./connector-registry";
import { loadSecretBox, type SecretBox } from "./secret-box";

/** Everything the sync runner touches, injected so tests run it without an engine and with fake time. */
export interface SyncServices {
  knex: Knex;
  backend: Backend;
  registry: MetadataRegistry;
  logger: Logger;
  connectors: ConnectorRegistry;
  secrets: SecretBox;
  /** Where `${NAME}` references of connection configs are resolved. */
  env: Record<string, string | undefined>;
  /** Waits between retries (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter of backoff delays. */
  random?: () => number;
}

const boxes = new WeakMap<EngineContext, SecretBox>();

/** The sync services of an engine: its connectors (`ctx.connectors`) and the secret key of the process environment. */
export function syncServicesOf(ctx: EngineContext, overrides: Partial<SyncServices> = {}): SyncServices {
  let secrets = boxes.get(ctx);
  if (!secrets && !overrides.secrets) {
    secrets = loadSecretBox(process.env, process.cwd());
    boxes.set(ctx, secrets);
  }
  return {
    knex: ctx.db.knex,
    backend: ctx.db.backend,
    registry: ctx.registry,
    logger: ctx.logger,
    connectors: ctx.connectors ?? new Map(),
    secrets: secrets!,
    env: process.env,
    ...overrides,
  };
}
