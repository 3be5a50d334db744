export type ServiceVersion = "v1" | "v2";

/** An error the simulated Service Layer answers with, in SAP's own body shape. */
export class SapError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "SapError";
  }
}

/** v1 carries a numeric code and a {lang, value} message; v2 a string code and a plain-string message. */
export function sapErrorBody(version: ServiceVersion, error: SapError): unknown {
  if (version === "v1") {
    return { error: { code: error.code, message: { lang: "en-us", value: error.message } } };
  }
  return { error: { code: String(error.code), details: [{ code: "", message: "" }], message: error.message } };
}

export const sapErrors = {
  invalidSession: () => new SapError(401, 301, "Invalid session or session already timeout."),
  loginFailed: () => new SapError(401, 100000027, "Login failed"),
  notFound: () => new SapError(404, -2028, "No matching records found (ODBC -2028)"),
  missingReference: () => new SapError(400, -2028, "No matching records found (ODBC -2028)"),
  business: (message: string) => new SapError(400, -10, message),
  rule: (message: string) => new SapError(400, -5002, message),
  notSupported: () => new SapError(400, -5006, "The requested action is not supported for this object."),
  badRequest: (message: string) => new SapError(400, -1000, message),
  noResource: (segment: string) => new SapError(404, -1000, `Resource not found for the segment '${segment}'`),
  incompleteBatch: () => new SapError(400, -1000, "Incomplete Batch Request Body!"),
};
