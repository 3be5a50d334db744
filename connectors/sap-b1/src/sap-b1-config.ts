import type { ConnectorSpec } from "@kehu/connector-kit";
import type { TlsSettings } from "./tls-trust";

/** Connection settings of one SAP Business One company (validated against `sapB1Spec.config` by the runner). */
export interface SapB1Config {
  /** Service root or server origin, e.g. `https://sl.example.com:50000` or `…/b1s/v2`; http is allowed. */
  baseUrl: string;
  companyDb: string;
  userName: string;
  password: string;
  apiVersion?: "v1" | "v2";
  /** Rows per page asked with `Prefer: odata.maxpagesize` (default 100). */
  pageSize?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Per-request timeout (default 60 s; document posts can be slow). */
  timeoutMs?: number;
  /** Incremental reads go back this many minutes behind the watermark (default 5), since UpdateTime is minute-granular. */
  overlapMinutes?: number;
  /** Attempts per request on retryable failures (default 6). */
  retryAttempts?: number;
  /** Where sales orders carry the idempotency key: `NumAtCard` (default) or a `U_` field that exists in the company. */
  orderKeyField?: string;
  /** Send writes as `$batch` requests of 25 change sets (default true), or one request per document. */
  batchWrites?: boolean;
  /**
   * Stock per warehouse is read whole when its last whole read is this many hours old (default 1; 0: on every run).
   * In between, runs read the stock of items whose UpdateDate moved.
   */
  stockSnapshotHours?: number;
  /** PEM of the CA, or of the server's own self-signed certificate, trusted besides Node's CA list (not a secret). */
  caCertificate?: string;
  /** Skip certificate checks (insecure; test systems only). */
  allowInvalidCertificate?: boolean;
  /** The name the server's certificate must carry when baseUrl reaches it by another name or by IP. */
  tlsServerName?: string;
}

type TlsKeys = keyof TlsSettings;
export type ResolvedSapB1Config = Required<Omit<SapB1Config, "baseUrl" | TlsKeys>> & {
  serviceRoot: string;
  tls: TlsSettings;
};

export const sapB1Spec: ConnectorSpec = {
  name: "sap-b1",
  label: { en: "SAP Business One (Service Layer)", zh: "SAP Business One（Service Layer）" },
  version: "1.0.0",
  config: {
    type: "object",
    required: ["baseUrl", "companyDb", "userName", "password"],
    additionalProperties: false,
    properties: {
      baseUrl: {
        type: "string",
        format: "uri",
        pattern: "^https?://",
        description: "Service Layer address, e.g. https://sl.example.com:50000 (…/b1s/v1 or …/b1s/v2 also accepted)",
      },
      companyDb: { type: "string", minLength: 1, description: "Company database, e.g. SBODEMOUS" },
      userName: { type: "string", minLength: 1 },
      password: { type: "string", minLength: 1, "x-secret": true },
      apiVersion: { enum: ["v1", "v2"], default: "v2" },
      pageSize: { type: "integer", minimum: 1, maximum: 5000, default: 100 },
      concurrency: { type: "integer", minimum: 1, maximum: 32, default: 4 },
      timeoutMs: { type: "integer", minimum: 100, maximum: 600_000, default: 60_000 },
      overlapMinutes: { type: "integer", minimum: 1, maximum: 1440, default: 5 },
      retryAttempts: { type: "integer", minimum: 1, maximum: 20, default: 6 },
      orderKeyField: { type: "string", pattern: "^(NumAtCard|U_[A-Za-z0-9_]+)$", default: "NumAtCard" },
      batchWrites: {
        type: "boolean",
        default: true,
        description: "Send writes as $batch change sets; off sends one request per document",
      },
      stockSnapshotHours: {
        type: "number",
        minimum: 0,
        maximum: 168,
        default: 1,
        description:
          "Read all stock per warehouse when the last whole read is this old (hours; 0: every run); in between, only the stock of items whose UpdateDate moved",
      },
      caCertificate: {
        type: "string",
        pattern: "-----BEGIN CERTIFICATE-----",
        "x-multiline": true,
        description:
          "PEM text of the CA, or of the Service Layer's own self-signed certificate, to trust besides the usual CAs (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
      },
      allowInvalidCertificate: {
        type: "boolean",
        default: false,
        description:
          "Insecure, for test systems only: accept any server certificate (self-signed, expired, other host name) without checking it",
      },
      tlsServerName: {
        type: "string",
        minLength: 1,
        description:
          "Host name the server certificate must carry, when baseUrl reaches the server by IP or by another name",
      },
    },
  },
};

/** Fills defaults and derives the service root (`<origin>/b1s/<version>`) from whatever form baseUrl takes. */
export function resolveConfig(config: SapB1Config): ResolvedSapB1Config {
  const fromUrl = /\/b1s\/(v1|v2)\/?$/.exec(config.baseUrl)?.[1] as "v1" | "v2" | undefined;
  const apiVersion = config.apiVersion ?? fromUrl ?? "v2";
  const origin = config.baseUrl.replace(/\/+$/, "").replace(/\/b1s(\/v[12])?$/, "");
  return {
    serviceRoot: `${origin}/b1s/${apiVersion}`,
    companyDb: config.companyDb,
    userName: config.userName,
    password: config.password,
    apiVersion,
    pageSize: config.pageSize ?? 100,
    concurrency: config.concurrency ?? 4,
    timeoutMs: config.timeoutMs ?? 60_000,
    overlapMinutes: config.overlapMinutes ?? 5,
    retryAttempts: config.retryAttempts ?? 6,
    orderKeyField: config.orderKeyField ?? "NumAtCard",
    batchWrites: config.batchWrites ?? true,
    stockSnapshotHours: config.stockSnapshotHours ?? 1,
    tls: {
      caCertificate: config.caCertificate,
      allowInvalidCertificate: config.allowInvalidCertificate ?? false,
      tlsServerName: config.tlsServerName,
    },
  };
}
