export { KehuApiError } from "./api-error";
export type { BulkResult, ClientOptions, KehuRecord, ListPage, ListQuery } from "./kehu-client";
export { KehuClient } from "./kehu-client";
