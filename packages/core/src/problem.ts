import type { Issue } from "./app-error";

/** RFC 9457 problem details as the API sends them (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Issue[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
