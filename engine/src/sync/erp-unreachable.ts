/**
 * A push that stopped because the ERP could not be reached (a refused port, DNS, a login that kept failing, timeouts
 * or 5xx on every attempt), not because it refused a record. The records it could not settle get no dead letter:
 * they stay due, and the next run pushes them. Its message starts with the connector's, naming the host and cause.
 */
export class ErpUnreachable extends Error {
  constructor(
    cause: unknown,
    readonly stream: string,
    readonly unsettled: number,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const waiting = unsettled === 1 ? "1 record waits" : `${unsettled} records wait`;
    super(`${reason} (push of ${stream} stopped: ${waiting} for the next run, no dead letters)`, { cause });
    this.name = "ErpUnreachable";
  }
}
