export { startTestEngine } from "./test-engine";
export type { TestEngine, TestResponse } from "./test-engine";
export { openTestDatabase, testBackend } from "./test-database";
export { defineEntities } from "./define-entities";
export { sampleContact, sampleCustomer } from "./sample-entities";
