export { AppError, isAppError } from "./app-error";
export type { ErrorCode, Issue } from "./app-error";
export { PROBLEM_CONTENT_TYPE } from "./problem";
export type { Problem } from "./problem";
export { pointer, pointerSegment } from "./json-pointer";
