import type { SapStream } from "../stream-definition";
import { bpBalancesStream } from "./bp-balances.stream";
import { businessPartnersStream } from "./business-partners.stream";
import { incomingPaymentsStream } from "./incoming-payments.stream";
import { invoicesStream } from "./invoices.stream";
import { itemStockStream } from "./item-stock.stream";
import { itemsStream } from "./items.stream";
import { salesOrdersStream } from "./sales-orders.stream";

export const sapStreams: SapStream[] = [
  businessPartnersStream,
  itemsStream,
  itemStockStream,
  salesOrdersStream,
  invoicesStream,
  incomingPaymentsStream,
  bpBalancesStream,
];
