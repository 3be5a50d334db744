export type { ErrorCode, Issue } from "./app-error";
export { AppError, isAppError } from "./app-error";
export { pointer, pointerSegment } from "./json-pointer";
export type { Problem } from "./problem";
export { PROBLEM_CONTENT_TYPE } from "./problem";
export { isUuid } from "./uuid";
