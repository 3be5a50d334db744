import type { Catalog, ConnectorSession } from "@kehu/connector-kit";
import { AppError, type Issue } from "@kehu/core";
import {
  ajvIssues,
  createAjv,
  type SyncConnectionInput,
  type SyncConnectionView,
  syncConnectionSchema,
} from "@kehu/schema";
import type { Knex } from "knex";
import { cronProblem } from "../jobs/cron-problem";
import { createUser, findUserByLogin } from "../security/users";
import { requireConnector } from "./connector-registry";
import { acquireRunLock } from "./run-lock";
import { maskConfig, openConfig, SECRET_MASK, sealConfig } from "./secret-config";
import type { SyncServices } from "./sync-services";

/** A stored connection (config sealed: secrets encrypted). */
export interface ConnectionRow {
  name: string;
  label: string | null;
  connector: string;
  config: Record<string, unknown>;
  act_as: string | null;
  schedule: string | null;
  enabled: boolean;
  catalog: Catalog | null;
  created_at: string;
  updated_at: string;
}

/** A connection as the API shows it: secrets masked, the acting user by login. */
export type ConnectionView = SyncConnectionView;

const ajv = createAjv();
const validateInput = ajv.compile(syncConnectionSchema);

/** The issues of a connection body: its shape, its connector, and its config against the connector's spec. */
export function connectionIssues(services: SyncServices, body: unknown): Issue[] {
  if (!validateInput(body)) return ajvIssues(validateInput.errors);
  const input = body as SyncConnectionInput;
  const schedule = input.schedule === undefined ? undefined : cronProblem(input.schedule);
  return [...(schedule ? [{ path: "/schedule", message: schedule }] : []), ...configIssues(services, input)];
}

function configIssues(services: SyncServices, input: SyncConnectionInput): Issue[] {
  const connector = services.connectors.get(input.connector);
  if (!connector)
    return [
      {
        path: "/connector",
        message: `no connector named "${input.connector}"; use one of: ${[...services.connectors.keys()].join(", ") || "(none installed)"}`,
      },
    ];
  const validate = ajv.compile(connector.spec.config);
  if (validate(input.config)) return [];
  // A `${ENV}` reference or a masked secret is checked when the session opens, not here.
  return ajvIssues(validate.errors, "/config").filter((issue) => {
    const value = issue.path
      .split("/")
      .slice(2)
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], input.config);
    return !(typeof value === "string" && (value.includes("${") || value === SECRET_MASK));
  });
}

async function actingUser(knex: Knex, input: SyncConnectionInput): Promise<string> {
  if (input.actAs) {
    const user = await findUserByLogin(knex, input.actAs);
    if (!user)
      throw new AppError("validation_failed", `No user "${input.actAs}"`, [
        { path: "/actAs", message: "must be the login of an existing user" },
      ]);
    return user.id as string;
  }
  // A service user per connection: it cannot log in (no password); an admin may narrow its roles.
  const login = `sync.${input.name}`;
  const found = await findUserByLogin(knex, login);
  if (found) return found.id as string;
  return (await createUser(knex, { login, displayName: `Sync ${input.name}`, isAdmin: true, locale: "en" })).id;
}

/** Creates or replaces a connection; secrets are encrypted, a masked secret keeps the stored one. */
export async function saveConnection(services: SyncServices, body: unknown): Promise<ConnectionView> {
  const issues = connectionIssues(services, body);
  if (issues.length) throw new AppError("validation_failed", "The connection is not valid", issues);
  const input = body as SyncConnectionInput;
  const spec = requireConnector(services.connectors, input.connector).spec;
  return services.knex.transaction(async (trx) => {
    const previous = await findConnection(trx, input.name);
    const config = sealConfig(input.config as Record<string, unknown>, spec.config, services.secrets, previous?.config);
    const row = {
      name: input.name,
      label: input.label ?? null,
      connector: input.connector,
      config: JSON.stringify(config),
      act_as: await actingUser(trx, input),
      schedule: input.schedule ?? null,
      enabled: input.enabled ?? true,
      updated_at: trx.fn.now(),
    };
    if (previous) await trx("kehu.sync_connections").where({ name: input.name }).update(row);
    else await trx("kehu.sync_connections").insert(row);
    return connectionView(trx, services, await requireConnection(trx, input.name));
  });
}

export async function findConnection(knex: Knex, name: string): Promise<ConnectionRow | undefined> {
  return knex("kehu.sync_connections").where({ name }).first();
}

export async function requireConnection(knex: Knex, name: string): Promise<ConnectionRow> {
  const row = await findConnection(knex, name);
  if (!row) throw new AppError("not_found", `No sync connection "${name}"`);
  return row;
}

export async function connectionView(knex: Knex, services: SyncServices, row: ConnectionRow): Promise<ConnectionView> {
  const connector = services.connectors.get(row.connector);
  const login = row.act_as ? await knex("kehu.users").where({ id: row.act_as }).first("login") : undefined;
  return {
    name: row.name,
    label: row.label,
    connector: row.connector,
    // Without its spec Kehu cannot tell which values are secret, so it shows none.
    config: connector ? maskConfig(row.config, connector.spec.config) : {},
    actAs: login?.login ?? null,
    schedule: row.schedule,
    enabled: row.enabled,
    streams: row.catalog?.streams.map((s) => s.name) ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listConnections(services: SyncServices): Promise<ConnectionView[]> {
  const rows: ConnectionRow[] = await services.knex("kehu.sync_connections").orderBy("name");
  return Promise.all(rows.map((row) => connectionView(services.knex, services, row)));
}

/**
 * Deletes a connection and what made it one system's counterpart: its mappings, its links (record ⇄ external key)
 * and its stream checkpoints, so a connection made later under the same name (say, to another company database)
 * starts from nothing instead of matching its records to the old system's keys and reading on from the old cursors.
 * What is open for a person closes: dead letters are discarded and conflicts resolved as "connection deleted", by
 * `by`. Runs and the ledger stay as history. Refused (409) while a run of the connection is going.
 */
export async function deleteConnection(
  knex: Knex,
  backend: SyncServices["backend"],
  name: string,
  by: string,
): Promise<void> {
  await requireConnection(knex, name);
  const release = await acquireRunLock(knex, backend, name);
  try {
    await knex.transaction(async (trx) => {
      const now = trx.fn.now();
      await trx("kehu.sync_links").where({ connection: name }).delete();
      await trx("kehu.sync_stream_state").where({ connection: name }).delete();
      await trx("kehu.sync_dead_letters")
        .where({ connection: name, status: "open" })
        .update({ status: "discarded", closed_at: now, closed_by: by });
      await trx("kehu.sync_conflicts")
        .where({ connection: name, status: "open" })
        .update({ status: "resolved", resolution: "connection deleted", resolved_by: by, resolved_at: now });
      const n = await trx("kehu.sync_connections").where({ name }).delete();
      if (!n) throw new AppError("not_found", `No sync connection "${name}"`);
    });
  } finally {
    await release();
  }
}

/** Opens a connector session over the connection's decrypted config. */
export function openSession(services: SyncServices, row: ConnectionRow): ConnectorSession {
  const connector = requireConnector(services.connectors, row.connector);
  return connector.open(openConfig(row.config, connector.spec.config, services.secrets, services.env));
}

/** Checks a connection and stores the catalog it discovers (mappings are validated against it). */
export async function checkConnection(
  services: SyncServices,
  name: string,
): Promise<{ ok: boolean; message?: string; streams?: string[] }> {
  const row = await requireConnection(services.knex, name);
  const session = openSession(services, row);
  try {
    const result = await session.check();
    if (!result.ok) return { ok: false, message: result.message };
    const catalog = await session.discover();
    await services
      .knex("kehu.sync_connections")
      .where({ name })
      .update({ catalog: JSON.stringify(catalog) });
    return { ok: true, streams: catalog.streams.map((s) => s.name) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  } finally {
    await session.close();
  }
}
