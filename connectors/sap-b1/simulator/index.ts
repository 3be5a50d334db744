export type { NextLinkForm } from "./dispatch";
export { createDocument, type DocumentSet } from "./documents";
export type { FaultConfig } from "./faults";
export { newItem, newPartner } from "./master-data";
export { createPayment } from "./payments";
export { SapError, type ServiceVersion, sapErrorBody } from "./sap-error";
export { demoSizes, type SeedSizes, seedDemoData } from "./seed-data";
export { type KeyAndCert, selfSignedCert } from "./self-signed-cert";
export {
  defaultCredentials,
  type SapB1Simulator,
  type SapB1SimulatorOptions,
  startSapB1Simulator,
} from "./server";
export type { Credentials } from "./sessions";
export { refreshItemTotals, type WarehouseInfo } from "./stock";
export { type SapRecord, SapStore } from "./store";
