export { VirtualClock } from "../workflow/virtual-clock";
export { applyTemplate, seedTemplate, templateDir, templateScenarioFailures } from "./apply-template";
export { defineEntities } from "./define-entities";
export { runKehu } from "./run-kehu";
export { sampleContact, sampleCustomer } from "./sample-entities";
export { openTestDatabase, testBackend } from "./test-database";
export type { TestEngine, TestResponse } from "./test-engine";
export { startTestEngine } from "./test-engine";
export { createTestDepartment, createTestRole, createTestUser } from "./test-users";
