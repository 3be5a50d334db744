import { ConnectorError } from "@kehu/connector-kit";
import { tlsFailure } from "./tls-failure";

/**
 * A ConnectorError in one line for a request that got no answer, naming the server: a refused certificate or a host
 * DNS does not know is permanent (`tls`, `address`: no retry fixes a mistyped baseUrl); a refused connection, a
 * temporary DNS failure (EAI_AGAIN) or a dropped one is a retryable `network` error. `refusedInARow` counts the
 * refused connections to this server so far, the last one included, for the message the run ends with.
 */
export function networkFailure(error: Error, url: URL, where: string, refusedInARow: number): Error {
  if ((error as { name?: string }).name === "ConnectorError" || error.name === "AbortError") return error;
  const refused = tlsFailure(error, url.origin);
  if (refused) return refused;
  const code = (error as { code?: string }).code;
  if (code === "ENOTFOUND")
    return new ConnectorError(
      "address",
      `The SAP B1 host ${url.hostname} could not be found (DNS). Check the host name in baseUrl`,
      { cause: error },
    );
  const reason =
    code === "ECONNREFUSED"
      ? `connection refused (${refusedInARow} ${refusedInARow === 1 ? "attempt" : "attempts in a row"}); check the port in baseUrl and that the Service Layer is running`
      : code === "EAI_AGAIN"
        ? "the DNS lookup of the host failed for now (EAI_AGAIN)"
        : error.message;
  return new ConnectorError("network", `Cannot reach the Service Layer at ${hostAndPort(url)} (${where}): ${reason}`, {
    cause: error,
  });
}

/** `sap:50000`, or `sap:443` where the URL leaves the port out. */
function hostAndPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}
