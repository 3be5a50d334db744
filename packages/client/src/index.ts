export { KehuClient } from "./kehu-client";
export type { BulkResult, ClientOptions, KehuRecord, ListPage, ListQuery } from "./kehu-client";
export { KehuApiError } from "./api-error";
