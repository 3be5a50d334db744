import { isPermanentConnectorError } from "@kehu/connector-kit";
import { isAppError } from "@kehu/core";

/**
 * A connector failure no retry fixes until someone changes the connection: the server's certificate was refused
 * (a `tls` ConnectorError), the system refused the login (an `auth` one: a wrong password, a locked user), the
 * address names no such system (an `address` one: a host DNS does not know), or the connector refused a config
 * value (an AppError naming `/config/…`). A run stops at once on it instead of backing
 * off through its attempts: SAP Business One locks a user after a few failed logins.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (isPermanentConnectorError(error)) return true;
  return isAppError(error) && error.issues.some((issue) => issue.path.startsWith("/config/"));
}
