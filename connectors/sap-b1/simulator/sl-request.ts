import type { ServiceVersion } from "./sap-error";

/** One Service Layer call after transport concerns (cookies, faults, body reading) are dealt with. */
export type SlRequest = {
  method: string;
  version: ServiceVersion;
  /** Path below the service root, e.g. `Orders(12)/Close`. */
  path: string;
  params: URLSearchParams;
  headers: Headers;
  body: unknown;
  /** e.g. `http://127.0.0.1:50000/b1s/v1` */
  serviceRoot: string;
};

export type SlResponse = { status: number; headers?: Record<string, string>; json?: unknown; text?: string };
