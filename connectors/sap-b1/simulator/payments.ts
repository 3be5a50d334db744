import { asRecord, money, numberField, stringField, userFields } from "./body-values";
import { sapDate, sapTime } from "./sap-dates";
import { sapErrors } from "./sap-error";
import type { SapRecord, SapStore } from "./store";

/** POST IncomingPayments: applies sums to invoices (PaidToDate; fully paid → bost_Close) and lowers the balance. */
export function createPayment(store: SapStore, payload: unknown): SapRecord {
  const body = asRecord(payload);
  return store.transaction(() => {
    const cardCode = stringField(body, "CardCode") ?? "";
    const partner = store.get("BusinessPartners", cardCode);
    if (!partner) throw sapErrors.business(`Invalid BP code [ORCT.CardCode] , '${cardCode}'`);
    const now = store.clock();
    const docEntry = store.nextNumber("IncomingPayments.DocEntry");
    const inputs = Array.isArray(body.PaymentInvoices) ? body.PaymentInvoices : [];
    const applied = inputs.map((raw, index) => applyToInvoice(store, cardCode, asRecord(raw), index, docEntry));
    const cashSum = numberField(body, "CashSum", 0) ?? 0;
    const transferSum = numberField(body, "TransferSum", 0) ?? 0;
    const payment: SapRecord = {
      DocEntry: docEntry,
      DocNum: store.nextNumber("IncomingPayments.DocNum", 400001),
      DocType: stringField(body, "DocType") ?? "rCustomer",
      DocDate: stringField(body, "DocDate")?.slice(0, 10) ?? sapDate(now),
      CardCode: cardCode,
      CardName: partner.CardName,
      DocCurrency: stringField(body, "DocCurrency") ?? partner.Currency,
      DocRate: 1,
      CashSum: cashSum,
      CashAccount: stringField(body, "CashAccount") ?? null,
      TransferSum: transferSum,
      TransferAccount: stringField(body, "TransferAccount") ?? null,
      TransferDate: stringField(body, "TransferDate")?.slice(0, 10) ?? null,
      TransferReference: stringField(body, "TransferReference") ?? null,
      Remarks: stringField(body, "Remarks") ?? null,
      Cancelled: "tNO",
      UpdateDate: sapDate(now),
      UpdateTime: sapTime(now),
      ...userFields(body),
      PaymentInvoices: applied,
    };
    store.insert("IncomingPayments", docEntry, payment);
    store.update("BusinessPartners", cardCode, (bp) => {
      bp.CurrentAccountBalance = money(Number(bp.CurrentAccountBalance) - cashSum - transferSum);
    });
    return payment;
  });
}

function applyToInvoice(store: SapStore, cardCode: string, input: SapRecord, index: number, docEntry: number) {
  const invoiceEntry = numberField(input, "DocEntry");
  const invoice = invoiceEntry === undefined ? undefined : store.get("Invoices", invoiceEntry);
  if (!invoice) throw sapErrors.missingReference();
  if (invoice.CardCode !== cardCode)
    throw sapErrors.business("Base document card and target document card do not match.");
  if (invoice.DocumentStatus !== "bost_Open") {
    throw sapErrors.business(`One of the base documents has already been closed  [RCT2.DocEntry][line: ${index + 1}]`);
  }
  const sum = numberField(input, "SumApplied", 0) ?? 0;
  const open = money(Number(invoice.DocTotal) - Number(invoice.PaidToDate));
  if (sum <= 0 || sum > open)
    throw sapErrors.rule(`Applied amount must be between 0 and ${open} [RCT2.SumApplied][line: ${index + 1}]`);
  store.update("Invoices", invoiceEntry!, (doc) => {
    doc.PaidToDate = money(Number(doc.PaidToDate) + sum);
    if (Number(doc.PaidToDate) >= Number(doc.DocTotal)) doc.DocumentStatus = "bost_Close";
    store.touch(doc);
  });
  return {
    LineNum: index,
    DocEntry: invoiceEntry,
    SumApplied: sum,
    AppliedFC: 0,
    InvoiceType: "it_Invoice",
    DocLine: 0,
    InstallmentId: 1,
    DiscountPercent: 0,
    PaymentDocEntry: docEntry,
  };
}
