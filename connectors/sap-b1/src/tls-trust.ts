import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { AppError } from "@kehu/core";

/** The TLS settings of a connection, as its config holds them. */
export interface TlsSettings {
  caCertificate?: string;
  allowInvalidCertificate?: boolean;
  tlsServerName?: string;
}

/** What the HttpsAgent gets: the trusted CAs, whether to verify, and the name the certificate must carry. */
export interface TlsAgentOptions {
  ca?: string[];
  rejectUnauthorized: boolean;
  servername?: string;
}

const pemBlock = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * Agent options for the connection's TLS settings. `caCertificate` is trusted in addition to Node's CA list and the
 * operator's `NODE_EXTRA_CA_CERTS` (`ca` alone would replace both); a value that holds no readable PEM certificate
 * is refused naming the field.
 *
 * @example
 * new HttpsAgent({ keepAlive: true, ...tlsAgentOptions({ caCertificate: pem }) });
 */
export function tlsAgentOptions(settings: TlsSettings): TlsAgentOptions {
  const options: TlsAgentOptions = { rejectUnauthorized: settings.allowInvalidCertificate !== true };
  if (settings.tlsServerName) options.servername = settings.tlsServerName;
  const text = settings.caCertificate?.trim();
  if (text) options.ca = [...rootCertificates, ...extraCaCertificates(), ...pemCertificates(text)];
  return options;
}

function pemCertificates(text: string): string[] {
  const blocks = [...text.matchAll(pemBlock)];
  if (!blocks.length)
    throw caError(
      'caCertificate is not a PEM certificate: paste the certificate text from "-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----"',
    );
  return blocks.map(([, label, body], index) => {
    const which = blocks.length > 1 ? `block ${index + 1} of caCertificate` : "caCertificate";
    if (label.includes("PRIVATE KEY"))
      throw caError(`${which} is a private key; paste the server's certificate (never its key)`);
    if (label !== "CERTIFICATE") throw caError(`${which} is a ${label}, not a CERTIFICATE`);
    // Re-wrapped, so a certificate pasted with CRLF or with its line breaks turned into spaces still reads.
    const base64 = body.replace(/\s+/g, "");
    const pem = `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END CERTIFICATE-----\n`;
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw caError(`${which} is not a readable certificate (${(error as Error).message})`);
    }
    return pem;
  });
}

// Node adds this file to its default store only; an unreadable one it already warned about at startup.
function extraCaCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return [readFileSync(file, "utf8")];
  } catch {
    return [];
  }
}

function caError(message: string): AppError {
  return new AppError("validation_failed", message, [{ path: "/config/caCertificate", message }]);
}
