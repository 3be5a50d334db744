import { createHash } from "node:crypto";
import type { EntitySetName } from "./entity-sets";
import { SapError } from "./sap-error";
import type { SapRecord } from "./store";

/** Sets whose entities carry an ETag (10.0 FP 2102+); IncomingPayments and Warehouses do not. */
const withETag = new Set<EntitySetName>(["Orders", "Invoices", "BusinessPartners", "Items"]);

export function etagOf(set: EntitySetName, record: SapRecord): string | undefined {
  if (!withETag.has(set)) return undefined;
  return `W/"${createHash("sha1").update(JSON.stringify(record)).digest("hex").toUpperCase()}"`;
}

/** If-Match on PATCH and actions: a stale tag is refused with 412 and -2039, as SL does. */
export function checkIfMatch(set: EntitySetName, record: SapRecord | undefined, ifMatch: string | null): void {
  if (!ifMatch || !record || ifMatch.trim() === "*") return;
  if (ifMatch.trim() !== etagOf(set, record)) {
    throw new SapError(
      412,
      -2039,
      "Another user or another operation modified data; to continue, open the window again (ODBC -2039)",
    );
  }
}
