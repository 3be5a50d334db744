export type { NextLinkForm } from "./dispatch";
export type { FaultConfig } from "./faults";
export { SapError, type ServiceVersion, sapErrorBody } from "./sap-error";
export { demoSizes, type SeedSizes, seedDemoData } from "./seed-data";
export {
  defaultCredentials,
  type SapB1Simulator,
  type SapB1SimulatorOptions,
  startSapB1Simulator,
} from "./server";
export type { Credentials } from "./sessions";
export { type SapRecord, SapStore } from "./store";
