import type { ServiceVersion } from "./sap-error";
import type { SlResponse } from "./sl-request";

export function jsonContentType(version: ServiceVersion): string {
  return version === "v1"
    ? "application/json;odata=minimalmetadata;charset=utf-8"
    : "application/json;odata.metadata=minimal;charset=utf-8";
}

export function versionHeaders(version: ServiceVersion): Record<string, string> {
  return version === "v1" ? { DataServiceVersion: "3.0" } : { "OData-Version": "4.0" };
}

export function toHttpResponse(version: ServiceVersion, response: SlResponse): Response {
  const headers = new Headers(versionHeaders(version));
  if (response.json !== undefined) headers.set("Content-Type", jsonContentType(version));
  for (const [name, value] of Object.entries(response.headers ?? {})) headers.set(name, value);
  const body = response.json !== undefined ? JSON.stringify(response.json) : (response.text ?? null);
  return new Response(response.status === 204 ? null : body, { status: response.status, headers });
}
