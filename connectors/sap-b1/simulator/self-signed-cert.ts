import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  return opensslKeyAndCert({}, [
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-keyout", "key.pem", "-out", "cert.pem", "-days", String(days), "-subj", `/CN=${commonName}`],
      ...["-addext", `subjectAltName=${subjectAltName}`],
    ],
  ]);
}

/**
 * Runs openssl commands in a fresh temporary directory holding `files`, and returns the `key.pem` and `cert.pem`
 * they wrote there; the directory is removed afterwards.
 */
export function opensslKeyAndCert(files: Record<string, string>, commands: string[][]): KeyAndCert {
  const dir = mkdtempSync(join(tmpdir(), "kehu-sl-cert-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    for (const args of commands) execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
