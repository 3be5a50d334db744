import type { KeyAndCert } from "../../simulator";
import { opensslKeyAndCert } from "../../simulator/self-signed-cert";

// `openssl req -x509` (OpenSSL 3.0) cannot backdate; `openssl ca -selfsign` takes explicit dates.
const caConfig = `[ca]
default_ca = self
[self]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
`;

/** A self-signed certificate for localhost and 127.0.0.1 that expired on 2 January 2020, made with the openssl CLI. */
export function expiredSelfSignedCert(): KeyAndCert {
  return opensslKeyAndCert({ "ca.cnf": caConfig, "index.txt": "", serial: "01\n" }, [
    [
      ...["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-keyout", "key.pem", "-out", "req.csr", "-subj", "/CN=localhost"],
      ...["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
    ],
    [
      ...["ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", "key.pem", "-in", "req.csr"],
      ...["-out", "cert.pem", "-notext", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z"],
    ],
  ]);
}
