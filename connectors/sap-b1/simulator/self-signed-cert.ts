import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A PEM key and certificate, as a server's `tls` option takes them. */
export interface KeyAndCert {
  key: string;
  cert: string;
}

/**
 * A fresh self-signed certificate (EC P-256), made with the openssl CLI, like the one a stock Service Layer install
 * serves, e.g. `selfSignedCert("localhost", "DNS:localhost,IP:127.0.0.1")`.
 */
export function selfSignedCert(commonName: string, subjectAltName: string, days = 1): KeyAndCert {
  const dir = mkdtempSync(join(tmpdir(), "kehu-sl-cert-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
        ...["-keyout", key, "-out", cert, "-days", String(days), "-subj", `/CN=${commonName}`],
        ...["-addext", `subjectAltName=${subjectAltName}`],
      ],
      { stdio: "pipe" },
    );
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
