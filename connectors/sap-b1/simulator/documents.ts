import { asRecord, money, stringField, userFields } from "./body-values";
import { buildLine, ORDER_OBJECT_TYPE } from "./document-lines";
import { sapDate, sapTime } from "./sap-dates";
import { sapErrors } from "./sap-error";
import { applyCommitmentChange, issueStock, orderCommitments } from "./stock";
import type { SapRecord, SapStore } from "./store";

export type DocumentSet = "Orders" | "Invoices";

const kinds = {
  Orders: { objectCode: "oOrders", alias: "RDR1", header: "ORDR", docNumStart: 200001 },
  Invoices: { objectCode: "oInvoices", alias: "INV1", header: "OINV", docNumStart: 300001 },
} as const;

/** POST Orders / Invoices: numbers the document, prices its lines and moves stock, all or nothing. */
export function createDocument(store: SapStore, set: DocumentSet, payload: unknown): SapRecord {
  const body = asRecord(payload);
  return store.transaction(() => {
    const kind = kinds[set];
    const cardCode = stringField(body, "CardCode") ?? "";
    const partner = store.get("BusinessPartners", cardCode);
    if (!partner) throw sapErrors.business(`Invalid BP code [${kind.header}.CardCode] , '${cardCode}'`);
    const inputLines = body.DocumentLines;
    if (!Array.isArray(inputLines) || inputLines.length === 0) {
      throw sapErrors.rule("Cannot add a document without rows [DocumentLines]");
    }
    const now = store.clock();
    const docEntry = store.nextNumber(`${set}.DocEntry`);
    const currency = stringField(body, "DocCurrency") ?? (partner.Currency as string);
    const ctx = { store, cardCode, currency, docEntry, tableAlias: kind.alias };
    const lines = inputLines.map((line, index) => buildLine(ctx, asRecord(line), index));
    const docDate = stringField(body, "DocDate")?.slice(0, 10) ?? sapDate(now);
    const document: SapRecord = {
      DocEntry: docEntry,
      DocNum: store.nextNumber(`${set}.DocNum`, kind.docNumStart),
      DocType: "dDocument_Items",
      DocDate: docDate,
      DocDueDate: stringField(body, "DocDueDate")?.slice(0, 10) ?? docDate,
      TaxDate: docDate,
      DocTime: `${sapTime(now).slice(0, 5)}:00`,
      CardCode: cardCode,
      CardName: partner.CardName,
      NumAtCard: stringField(body, "NumAtCard") ?? null,
      Comments: stringField(body, "Comments") ?? null,
      DocCurrency: currency,
      DocRate: 1,
      DocObjectCode: kind.objectCode,
      DocumentStatus: "bost_Open",
      Cancelled: "tNO",
      CancelStatus: "csNo",
      PaidToDate: 0,
      CreationDate: sapDate(now),
      UpdateDate: sapDate(now),
      UpdateTime: sapTime(now),
      ...userFields(body),
      DocumentLines: lines,
    };
    refreshTotals(document);
    store.insert(set, docEntry, document);
    if (set === "Orders") applyCommitmentChange(store, new Map(), orderCommitments(document));
    else postInvoiceEffects(store, document);
    adjustBalance(store, cardCode, set === "Orders" ? "OpenOrdersBalance" : "CurrentAccountBalance", document);
    return document;
  });
}

/** PATCH Orders(n): header fields and lines (matched by LineNum, others added); unknown fields are ignored. */
export function patchOrder(store: SapStore, docEntry: number, payload: unknown, replaceLines: boolean): void {
  const body = asRecord(payload);
  store.transaction(() => {
    const order = store.get("Orders", docEntry);
    if (!order) throw sapErrors.notFound();
    if (order.DocumentStatus !== "bost_Open") throw sapErrors.rule("Document is already closed");
    const before = orderCommitments(order);
    store.update("Orders", docEntry, (doc) => {
      for (const field of ["DocDueDate", "NumAtCard", "Comments"]) {
        if (field in body) doc[field] = body[field];
      }
      Object.assign(doc, userFields(body));
      if (Array.isArray(body.DocumentLines)) mergeLines(store, doc, body.DocumentLines, replaceLines);
      refreshTotals(doc);
      store.touch(doc);
    });
    applyCommitmentChange(store, before, orderCommitments(store.get("Orders", docEntry)));
  });
}

/** Orders(n)/Close and Orders(n)/Cancel: both release what the order still commits. */
export function closeOrder(store: SapStore, docEntry: number, cancel: boolean): void {
  store.transaction(() => {
    const order = store.get("Orders", docEntry);
    if (!order) throw sapErrors.notFound();
    if (order.Cancelled === "tYES") throw sapErrors.rule("Document is already cancelled");
    if (order.DocumentStatus !== "bost_Open") throw sapErrors.rule("Document is already closed");
    const before = orderCommitments(order);
    store.update("Orders", docEntry, (doc) => {
      doc.DocumentStatus = "bost_Close";
      if (cancel) Object.assign(doc, { Cancelled: "tYES", CancelStatus: "csCancelled" });
      for (const line of doc.DocumentLines as SapRecord[]) line.LineStatus = "bost_Close";
      store.touch(doc);
    });
    applyCommitmentChange(store, before, new Map());
  });
}

function mergeLines(store: SapStore, doc: SapRecord, inputs: unknown[], replace: boolean): void {
  const existing = doc.DocumentLines as SapRecord[];
  const ctx = {
    store,
    cardCode: doc.CardCode as string,
    currency: doc.DocCurrency as string,
    docEntry: doc.DocEntry as number,
    tableAlias: "RDR1",
  };
  const kept = replace ? [] : [...existing];
  let nextLineNum = existing.reduce((max, line) => Math.max(max, Number(line.LineNum)), -1) + 1;
  for (const raw of inputs) {
    const input = asRecord(raw);
    const current = existing.find((line) => input.LineNum !== undefined && line.LineNum === Number(input.LineNum));
    const lineNum = current ? Number(current.LineNum) : nextLineNum++;
    const line = buildLine(ctx, { ...current, ...input, BaseType: -1 }, lineNum);
    const index = kept.findIndex((candidate) => candidate.LineNum === lineNum);
    if (index >= 0) kept[index] = line;
    else kept.push(line);
  }
  if (kept.length === 0) throw sapErrors.rule("Cannot add a document without rows [DocumentLines]");
  doc.DocumentLines = kept;
}

function postInvoiceEffects(store: SapStore, invoice: SapRecord): void {
  (invoice.DocumentLines as SapRecord[]).forEach((line, index) => {
    const quantity = Number(line.Quantity);
    issueStock(store, line.ItemCode as string, line.WarehouseCode as string, quantity, index + 1);
    if (line.BaseType === ORDER_OBJECT_TYPE)
      deliverOrderLine(store, Number(line.BaseEntry), Number(line.BaseLine), quantity);
  });
}

function deliverOrderLine(store: SapStore, docEntry: number, lineNum: number, quantity: number): void {
  const before = orderCommitments(store.get("Orders", docEntry));
  store.update("Orders", docEntry, (order) => {
    const lines = order.DocumentLines as SapRecord[];
    const line = lines.find((candidate) => candidate.LineNum === lineNum)!;
    line.RemainingOpenQuantity = Math.max(0, Number(line.RemainingOpenQuantity) - quantity);
    if (line.RemainingOpenQuantity === 0) line.LineStatus = "bost_Close";
    if (lines.every((candidate) => candidate.LineStatus === "bost_Close")) order.DocumentStatus = "bost_Close";
    store.touch(order);
  });
  applyCommitmentChange(store, before, orderCommitments(store.get("Orders", docEntry)));
}

function refreshTotals(doc: SapRecord): void {
  const lines = doc.DocumentLines as SapRecord[];
  const net = lines.reduce((sum, line) => sum + Number(line.LineTotal), 0);
  doc.VatSum = money(lines.reduce((sum, line) => sum + Number(line.TaxTotal), 0));
  doc.DocTotal = money(net + Number(doc.VatSum));
}

function adjustBalance(store: SapStore, cardCode: string, field: string, document: SapRecord): void {
  store.update("BusinessPartners", cardCode, (partner) => {
    partner[field] = money(Number(partner[field] ?? 0) + Number(document.DocTotal));
  });
}
