import type { Row } from "./variant-sl-query";

/**
 * A small company for the independent test Service Layer, shaped after the fact sheet's sample payloads (§4, §8).
 * Stamps are laid out so that most rows of a set share one minute (a bulk import) with seconds running against
 * the key order, and a few rows sit in earlier minutes; some items lack optional collections.
 */
export interface Company {
  Items: Row[];
  BusinessPartners: Row[];
  Orders: Row[];
  Invoices: Row[];
  IncomingPayments: Row[];
  Warehouses: Row[];
}

export const entityKeys: Record<keyof Company, { key: string; int: boolean }> = {
  Items: { key: "ItemCode", int: false },
  BusinessPartners: { key: "CardCode", int: false },
  Orders: { key: "DocEntry", int: true },
  Invoices: { key: "DocEntry", int: true },
  IncomingPayments: { key: "DocEntry", int: true },
  Warehouses: { key: "WarehouseCode", int: false },
};

const pad = (n: number, width = 5) => String(n).padStart(width, "0");

/** Row n of `count`: the first `count − 5` in one minute (seconds descending), the last 5 on the day before. */
function stamp(n: number, count: number): { UpdateDate: string; UpdateTime: string } {
  if (n <= count - 5) return { UpdateDate: "2026-05-01", UpdateTime: `14:35:${pad(59 - n, 2)}` };
  return { UpdateDate: "2026-04-30", UpdateTime: `09:${pad(n - count + 10, 2)}:15` };
}

export function seedCompany(): Company {
  const items = Array.from({ length: 30 }, (_, i): Row => {
    const n = i + 1;
    const item: Row = {
      ItemCode: `A${pad(n)}`,
      ItemName: `Item ${n}`,
      ItemsGroupCode: 100 + (n % 3),
      InventoryItem: "tYES",
      SalesItem: "tYES",
      PurchaseItem: n % 4 === 0 ? "tNO" : "tYES",
      QuantityOnStock: 10 * n,
      ...stamp(n, 30),
      ItemPrices: [{ PriceList: 1, Price: n * 1.5, Currency: "$", BasePriceList: 1, Factor: 1 }],
      ItemWarehouseInfoCollection: [
        { WarehouseCode: "01", InStock: 7 * n, Committed: n % 5, Ordered: n % 2, ItemCode: `A${pad(n)}` },
        { WarehouseCode: "02", InStock: 3 * n, Committed: 0, Ordered: 0, ItemCode: `A${pad(n)}` },
      ],
    };
    if (n === 3) delete item.ItemWarehouseInfoCollection;
    if (n === 4) item.ItemWarehouseInfoCollection = [];
    if (n === 5) item.ItemPrices = null;
    return item;
  });
  const partners = Array.from({ length: 25 }, (_, i): Row => {
    const n = i + 1;
    return {
      CardCode: `C${pad(n)}`,
      CardName: `Customer ${n}`,
      CardType: "cCustomer",
      GroupCode: 100,
      Currency: "$",
      Phone1: `555-${pad(n, 4)}`,
      EmailAddress: `c${n}@example.com`,
      CreditLimit: 1000 * n,
      CurrentAccountBalance: 12.5 * n,
      OpenOrdersBalance: n % 7,
      Valid: "tYES",
      Frozen: "tNO",
      ...stamp(n, 25),
    };
  });
  const document = (entry: number, n: number, count: number, status: string): Row => ({
    DocEntry: entry,
    DocNum: entry + 1000,
    DocDate: "2026-04-29",
    DocDueDate: "2026-05-06",
    CardCode: `C${pad((n % 25) + 1)}`,
    CardName: `Customer ${(n % 25) + 1}`,
    NumAtCard: `EXT-${entry}`,
    Comments: null,
    DocCurrency: "$",
    DocTotal: 20 * n,
    VatSum: 2 * n,
    PaidToDate: 0,
    DocumentStatus: status,
    Cancelled: "tNO",
    ...stamp(n, count),
    DocumentLines: [
      {
        LineNum: 0,
        ItemCode: `A${pad((n % 30) + 1)}`,
        ItemDescription: `Item ${(n % 30) + 1}`,
        Quantity: 2,
        UnitPrice: 10 * n,
        Price: 10 * n,
        DiscountPercent: 0,
        WarehouseCode: "01",
        LineTotal: 20 * n,
        LineStatus: status,
        RemainingOpenQuantity: 2,
        BaseType: -1,
        BaseEntry: null,
        BaseLine: null,
      },
    ],
  });
  const payments = Array.from({ length: 22 }, (_, i): Row => {
    const n = i + 1;
    return {
      DocEntry: 200 + n,
      DocNum: 5200 + n,
      DocType: "rCustomer",
      DocDate: "2026-04-30",
      CardCode: `C${pad((n % 25) + 1)}`,
      CardName: `Customer ${(n % 25) + 1}`,
      DocCurrency: "$",
      CashSum: 0,
      TransferSum: 5 * n,
      TransferDate: "2026-04-30",
      TransferReference: `BANK-${n}`,
      Remarks: null,
      Cancelled: "tNO",
      PaymentInvoices: [{ LineNum: 0, DocEntry: 100 + ((n % 21) + 1), SumApplied: 5 * n, InvoiceType: "it_Invoice" }],
    };
  });
  return {
    Items: items,
    BusinessPartners: partners,
    Orders: Array.from({ length: 23 }, (_, i) => document(i + 1, i + 1, 23, "bost_Open")),
    Invoices: Array.from({ length: 21 }, (_, i) => document(101 + i, i + 1, 21, "bost_Close")),
    IncomingPayments: payments,
    Warehouses: [
      { WarehouseCode: "01", WarehouseName: "General", Inactive: "tNO" },
      { WarehouseCode: "02", WarehouseName: "Overflow", Inactive: "tNO" },
    ],
  };
}
