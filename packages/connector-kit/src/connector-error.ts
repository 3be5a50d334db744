/**
 * What went wrong talking to an external system; drives the retry decision. `tls`: the server's certificate was
 * refused (untrusted, expired, wrong name), which no retry fixes. `address`: the connection's address names no such
 * system (a host name DNS does not know, a URL where the system does not answer); no retry fixes it either.
 */
export type ConnectorErrorKind = "timeout" | "network" | "http" | "auth" | "protocol" | "tls" | "address";

export interface ConnectorErrorDetails {
  /** HTTP status, when the system answered. */
  status?: number;
  /** The external system's own error code (e.g. SAP's `-10`), as a string. */
  code?: string;
  /** From a `Retry-After` header. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A readable failure of an external call, carrying the HTTP status and the external error code so the runner can
 * show it and `classifyRetry` can decide whether to try again.
 *
 * @example
 * throw new ConnectorError("http", "SAP B1 error -10: Item code 'i1' already exists (HTTP 400)", { status: 400, code: "-10" });
 */
export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;

  constructor(kind: ConnectorErrorKind, message: string, details: ConnectorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ConnectorError";
    this.kind = kind;
    this.status = details.status;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** True for a ConnectorError, also across duplicated module instances. */
export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError || (error as { name?: unknown } | null)?.name === "ConnectorError";
}

/**
 * A failure no retry fixes until someone changes the connection: a refused certificate (`tls`), a refused login
 * (`auth`: SAP Business One locks a user after a few failed logins) or an address naming no such system (`address`).
 */
export function isPermanentConnectorError(error: unknown): error is ConnectorError {
  return isConnectorError(error) && (error.kind === "tls" || error.kind === "auth" || error.kind === "address");
}
