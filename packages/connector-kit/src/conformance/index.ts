export type { ConformanceOptions, StreamFixture, WriteFixture } from "./conformance-options";
export { describeConnectorConformance } from "./describe-conformance";
export { type ReadTrace, readAll } from "./read-all";
