import { ConnectorError } from "@kehu/connector-kit";

// OpenSSL verify results (as Node reports them in `code`) meaning "signed by no CA Kehu trusts".
const untrusted = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "INVALID_CA",
  "INVALID_PURPOSE",
]);
const outdated = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const wrongName = new Set(["ERR_TLS_CERT_ALTNAME_INVALID", "HOSTNAME_MISMATCH"]);

/**
 * A permanent (never retried) ConnectorError for a TLS failure, in one line naming the server and the fix; undefined
 * when `error` is not one. `origin` is what the connection's baseUrl names, e.g. `https://sl:50000`.
 */
export function tlsFailure(error: Error, origin: string): ConnectorError | undefined {
  const code = (error as { code?: string }).code ?? "";
  const server = `The SAP B1 server ${origin}`;
  const fail = (message: string) => new ConnectorError("tls", message, { code, cause: error });
  if (untrusted.has(code))
    return fail(
      `${server} presented a certificate Kehu does not trust (${error.message}). Add its certificate (PEM) under caCertificate in the connection, or on a test system only set allowInvalidCertificate`,
    );
  if (outdated.has(code))
    return fail(
      `${server} presented a certificate that is out of date (${error.message}). Renew the Service Layer certificate; on a test system only allowInvalidCertificate skips the check`,
    );
  if (wrongName.has(code))
    return fail(
      `${server} presented a certificate for another name (${certificateNames(error)}). Use a host name the certificate carries in baseUrl, or set tlsServerName to it`,
    );
  if (code === "EPROTO" && /wrong version number|packet length too long|http request/i.test(error.message))
    return fail(`${server} does not answer TLS on that port. Check baseUrl: http:// or https://, and the port`);
  if (/CERT/.test(code))
    return fail(
      `${server} presented a certificate Kehu refuses (${code}: ${error.message}). Fix the Service Layer certificate or caCertificate`,
    );
  return undefined;
}

function certificateNames(error: Error): string {
  const cert = (error as { cert?: { subjectaltname?: string; subject?: { CN?: string } } }).cert;
  const names = cert?.subjectaltname ?? (cert?.subject?.CN ? `CN=${cert.subject.CN}` : undefined);
  const host = (error as { host?: string }).host;
  return names ? `it names ${names}${host ? `, not ${host}` : ""}` : error.message;
}
