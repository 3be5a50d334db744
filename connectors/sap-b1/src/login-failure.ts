import { ConnectorError } from "@kehu/connector-kit";
import type { HttpReply } from "./http-transport";
import type { ResolvedSapB1Config } from "./sap-b1-config";
import { readableText, replyError } from "./sap-error-body";

/**
 * The error of a Login that did not answer 200: a 5xx or 429 stays retryable; a 404 or 405 without a SAP error body
 * means baseUrl names a server but not a Service Layer (a wrong port or path), an `address` failure; any other answer
 * is SAP refusing the login (`auth`). Neither is retried: SAP Business One locks a user after a few failed logins.
 */
export function loginFailure(reply: HttpReply, config: ResolvedSapB1Config): ConnectorError {
  const error = replyError(reply, "Login");
  if (reply.status >= 500 || reply.status === 429) return error;
  if ((reply.status === 404 || reply.status === 405) && error.code === undefined) {
    const body = reply.text.trim() ? `: ${readableText(reply.text)}` : "";
    return new ConnectorError(
      "address",
      `No SAP B1 Service Layer answers at ${config.serviceRoot}: its Login answered HTTP ${reply.status}${body}. Check baseUrl: the Service Layer's address and port, e.g. https://sap-host:50000`,
      { status: reply.status },
    );
  }
  return new ConnectorError(
    "auth",
    `Login to company ${config.companyDb} as ${config.userName} failed: ${error.message}`,
    { status: reply.status, code: error.code },
  );
}
