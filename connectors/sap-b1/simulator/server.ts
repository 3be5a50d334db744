import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo, Server } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { NextLinkForm } from "./dispatch";
import { type FaultConfig, withFaults } from "./faults";
import { DEFAULT_PAGE_SIZE } from "./paging";
import type { ServiceVersion } from "./sap-error";
import { demoSizes, type SeedSizes, seedDemoData } from "./seed-data";
import type { KeyAndCert } from "./self-signed-cert";
import { createServiceApp } from "./service-app";
import { type Credentials, SessionRegistry } from "./sessions";
import { SapStore } from "./store";

export type SapB1SimulatorOptions = {
  /** 0 or undefined picks a free port. */
  port?: number;
  host?: string;
  /** "demo" fills the company with demo data, "empty" leaves it empty (warehouses only). */
  seed?: "demo" | "empty";
  /** Overrides demo sizes, e.g. { items: 100_000 } for a bench. */
  sizes?: Partial<SeedSizes>;
  faults?: FaultConfig;
  /** Serve only /b1s/v1 or /b1s/v2; both when undefined. `url` points at this version (v1 by default). */
  version?: ServiceVersion;
  pageSize?: number;
  /** Form of odata.nextLink / @odata.nextLink: relative (default), rooted (`/b1s/v1/…`) or absolute. */
  nextLink?: NextLinkForm;
  sessionTimeoutMinutes?: number;
  requireRouteId?: boolean;
  credentials?: Credentials;
  clock?: () => Date;
  /** B1's "block negative inventory" setting (default true). */
  blockNegativeStock?: boolean;
  /** Bump Items.UpdateDate/UpdateTime on stock movements (default false: unconfirmed in SL, don't rely on it). */
  stockMovesTouchItems?: boolean;
  /** Serve HTTPS with this PEM key and certificate (as a stock SL does, self-signed: see `selfSignedCert`). */
  tls?: KeyAndCert;
};

export type SapB1Simulator = {
  /** Service root, e.g. http://127.0.0.1:50000/b1s/v1 */
  url: string;
  origin: string;
  store: SapStore;
  sessions: SessionRegistry;
  /** The listening server, e.g. to count connections. */
  server: Server;
  close(): Promise<void>;
};

export const defaultCredentials: Credentials = { companyDB: "SBODEMOCN", userName: "manager", password: "1234" };

/** Starts a standalone Service Layer simulator on a real socket. */
export async function startSapB1Simulator(options: SapB1SimulatorOptions = {}): Promise<SapB1Simulator> {
  const store = new SapStore(options.clock);
  store.stockMovesTouchItems = options.stockMovesTouchItems ?? false;
  if (options.seed === "demo") seedDemoData(store, "demo", { ...demoSizes, ...options.sizes });
  else seedDemoData(store, "empty", { partners: 0, items: 0, orders: 0, invoices: 0, payments: 0, ...options.sizes });
  store.blockNegativeStock = options.blockNegativeStock ?? true;
  const sessions = new SessionRegistry(
    {
      credentials: options.credentials ?? defaultCredentials,
      timeoutMinutes: options.sessionTimeoutMinutes ?? 30,
      expireAfterRequests: options.faults?.sessionExpiresAfterRequests,
      requireRouteId: options.requireRouteId ?? true,
      routeId: ".node1",
    },
    () => store.clock(),
  );
  const app = createServiceApp({
    store,
    sessions,
    config: { pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE, nextLink: options.nextLink },
    version: options.version,
    serverVersion: { v1: "1000190", v2: "1000191" },
  });
  const listener = withFaults(getRequestListener(app.fetch), options.faults);
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  const origin = `${options.tls ? "https" : "http"}://${options.host ?? "127.0.0.1"}:${address.port}`;
  return {
    url: `${origin}/b1s/${options.version ?? "v1"}`,
    origin,
    store,
    sessions,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
