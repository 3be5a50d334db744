import { closeOrder, createDocument, patchOrder } from "./documents";
import { type EntitySetName, entitySets, isEntitySetName } from "./entity-sets";
import { checkIfMatch, etagOf } from "./etag";
import { createItem, createPartner, patchMasterData } from "./master-data";
import { matchRecords, parseCollectionQuery } from "./odata-query";
import { cutPage, resolvePageSize } from "./paging";
import { createPayment } from "./payments";
import { parseResourcePath } from "./resource-path";
import { sapErrors } from "./sap-error";
import { collectionBody, entityBody, serializeRecord } from "./serialize";
import type { SlRequest, SlResponse } from "./sl-request";
import type { SapRecord, SapStore } from "./store";

/** How nextLink is written: `Items?$skip=20` (relative, default), `/b1s/v1/Items?$skip=20` (rooted) or absolute. */
export type NextLinkForm = "relative" | "rooted" | "absolute";
export type DispatchConfig = { pageSize: number; nextLink?: NextLinkForm };

/** Serves one entity-set request synchronously, so a $batch change set runs without interleaving. */
export function dispatch(store: SapStore, req: SlRequest, config: DispatchConfig): SlResponse {
  const { set, key, suffix } = parseResourcePath(req.path);
  if (!isEntitySetName(set)) throw sapErrors.noResource(set);
  const method = req.headers.get("x-http-method-override")?.toUpperCase() ?? req.method;
  if (key === undefined) {
    if (suffix === "$count" && method === "GET") return countResponse(store, set, req);
    if (suffix !== undefined) throw sapErrors.noResource(suffix);
    if (method === "GET") return readCollection(store, set, req, config);
    if (method === "POST") return created(set, create(store, set, req.body), req);
    throw sapErrors.notSupported();
  }
  const info = entitySets[set];
  if ((info.keyType === "int") !== (typeof key === "number")) throw sapErrors.badRequest(`Invalid key for '${set}'`);
  if (method !== "GET") checkIfMatch(set, store.get(set, key), req.headers.get("if-match"));
  if (suffix !== undefined) return action(store, set, key, suffix, method);
  if (method === "GET") return readEntity(store, set, key, req);
  if (method === "PATCH") {
    patch(store, set, key, req);
    return { status: 204 };
  }
  throw sapErrors.notSupported();
}

function readCollection(store: SapStore, set: EntitySetName, req: SlRequest, config: DispatchConfig): SlResponse {
  const caseInsensitive = req.headers.get("b1s-caseinsensitive") === "true";
  const query = parseCollectionQuery(req.params, entitySets[set], { version: req.version, caseInsensitive });
  const pageSize = resolvePageSize(req.headers, config.pageSize);
  // Without $top or a count, a page needs its own rows and one more (whether a next page exists), not the rest.
  const limit =
    query.top === undefined && !query.withCount && pageSize.size > 0 ? query.skip + pageSize.size + 1 : undefined;
  const matched = matchRecords(store.list(set), query, limit);
  const page = cutPage(matched, query, pageSize.size, { resource: set, params: req.params });
  const rows = page.rows.map((row) => serializeRecord(row, req.version, query.select));
  const count = query.withCount ? matched.length : undefined;
  return {
    status: 200,
    headers: pageSize.applied ? { "Preference-Applied": pageSize.applied } : {},
    json: collectionBody(req.version, req.serviceRoot, set, rows, {
      count,
      nextLink: page.nextLink && linkForm(page.nextLink, req.serviceRoot, config.nextLink),
    }),
  };
}

function countResponse(store: SapStore, set: EntitySetName, req: SlRequest): SlResponse {
  const caseInsensitive = req.headers.get("b1s-caseinsensitive") === "true";
  const query = parseCollectionQuery(req.params, entitySets[set], { version: req.version, caseInsensitive });
  return {
    status: 200,
    headers: { "Content-Type": "text/plain" },
    text: String(matchRecords(store.list(set), query).length),
  };
}

function readEntity(store: SapStore, set: EntitySetName, key: string | number, req: SlRequest): SlResponse {
  const record = store.get(set, key);
  if (!record) throw sapErrors.notFound();
  const query = parseCollectionQuery(req.params, entitySets[set], { version: req.version, caseInsensitive: false });
  const body = serializeRecord(record, req.version, query.select);
  return withETag(set, record, { status: 200, json: entityBody(req.version, req.serviceRoot, set, body) });
}

function create(store: SapStore, set: EntitySetName, body: unknown): SapRecord {
  switch (set) {
    case "BusinessPartners":
      return createPartner(store, body);
    case "Items":
      return createItem(store, body);
    case "Orders":
    case "Invoices":
      return createDocument(store, set, body);
    case "IncomingPayments":
      return createPayment(store, body);
    case "Warehouses":
      throw sapErrors.notSupported();
  }
}

function created(set: EntitySetName, record: SapRecord, req: SlRequest): SlResponse {
  const key = record[entitySets[set].key];
  const location = `${req.serviceRoot}/${set}(${typeof key === "number" ? key : `'${key}'`})`;
  if (/return-no-content/i.test(req.headers.get("prefer") ?? "")) {
    return { status: 204, headers: { Location: location, "Preference-Applied": "return-no-content" } };
  }
  const body = entityBody(req.version, req.serviceRoot, set, serializeRecord(record, req.version));
  return withETag(set, record, { status: 201, headers: { Location: location }, json: body });
}

function patch(store: SapStore, set: EntitySetName, key: string | number, req: SlRequest): void {
  if (set === "BusinessPartners" || set === "Items") {
    patchMasterData(store, set, String(key), req.body);
  } else if (set === "Orders") {
    patchOrder(store, Number(key), req.body, req.headers.get("b1s-replacecollectionsonpatch") === "true");
  } else {
    if (!store.get(set, key)) throw sapErrors.notFound();
    throw sapErrors.notSupported();
  }
}

function action(store: SapStore, set: EntitySetName, key: string | number, name: string, method: string): SlResponse {
  if (method !== "POST") throw sapErrors.notSupported();
  if (set !== "Orders" || (name !== "Close" && name !== "Cancel")) {
    if (!store.get(set, key)) throw sapErrors.notFound();
    throw sapErrors.notSupported();
  }
  closeOrder(store, Number(key), name === "Cancel");
  return { status: 204 };
}

function withETag(set: EntitySetName, record: SapRecord, response: SlResponse): SlResponse {
  const etag = etagOf(set, record);
  if (!etag) return response;
  const [context, ...rest] = Object.entries(response.json as SapRecord);
  const json = Object.fromEntries([
    context,
    [context[0] === "odata.metadata" ? "odata.etag" : "@odata.etag", etag],
    ...rest,
  ]);
  return { ...response, headers: { ...response.headers, ETag: etag }, json };
}

function linkForm(link: string, serviceRoot: string, form: NextLinkForm = "relative"): string {
  if (form === "absolute") return `${serviceRoot}/${link}`;
  if (form === "rooted") return `${new URL(serviceRoot).pathname}/${link}`;
  return link;
}
