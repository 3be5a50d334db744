export { abortableSleep } from "./abortable-sleep";
export {
  ConnectorError,
  type ConnectorErrorDetails,
  type ConnectorErrorKind,
  isConnectorError,
  isPermanentConnectorError,
} from "./connector-error";
export type {
  Catalog,
  CheckResult,
  Connector,
  ConnectorSession,
  ConnectorSpec,
  ExternalRecord,
  JsonSchema,
  ReadMessage,
  ReadOptions,
  StreamDescriptor,
  StreamState,
  SyncDirection,
  WriteOptions,
  WriteRecord,
  WriteResult,
} from "./contract";
export { createLimiter, type Limiter } from "./limiter";
export { mapConcurrent } from "./map-concurrent";
export { backoffDelay, type RetryOptions, retry } from "./retry";
export { classifyRetry, parseRetryAfter, type RetryDecision } from "./retry-policy";
