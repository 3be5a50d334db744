export type { ChangeCursorState } from "./incremental-read";
export type { SapB1Config } from "./sap-b1-config";
export { sapB1Spec } from "./sap-b1-config";
export { sapB1Connector } from "./sap-b1-connector";
