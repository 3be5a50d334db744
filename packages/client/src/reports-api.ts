import type {
  DashboardData,
  ReportDefinition,
  ReportQuery,
  ReportResult,
  SavedDashboard,
  SavedReport,
} from "./report-types";

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

const enc = encodeURIComponent;
const explainFlag = (o: { explain?: boolean }) => (o.explain ? "?explain=1" : "");

/** Saved and ad-hoc reports, run as the caller; `explain` adds the compiled SQL (administrators only). */
export function reportsApi(request: Request) {
  return {
    list: async (entity?: string) =>
      (await request<{ data: SavedReport[] }>("GET", entity ? `/api/reports?entity=${enc(entity)}` : "/api/reports"))
        .data,
    get: (key: string) => request<SavedReport>("GET", `/api/reports/${enc(key)}`),
    run: (key: string, o: { explain?: boolean } = {}) =>
      request<ReportResult & { report: ReportDefinition }>("POST", `/api/reports/${enc(key)}/run${explainFlag(o)}`),
    query: (query: ReportQuery, o: { explain?: boolean } = {}) =>
      request<ReportResult>("POST", `/api/reports/query${explainFlag(o)}`, query),
    /** Creates or replaces a saved report (administrators only). */
    save: (definition: ReportDefinition) =>
      request<ReportDefinition>("PUT", `/api/reports/${enc(definition.key)}`, definition),
    remove: (key: string) => request<void>("DELETE", `/api/reports/${enc(key)}`),
  };
}

/** Dashboards: saved reports shown together; `data` runs each of them as the caller. */
export function dashboardsApi(request: Request) {
  return {
    list: async () => (await request<{ data: SavedDashboard[] }>("GET", "/api/dashboards")).data,
    get: (key: string) => request<SavedDashboard>("GET", `/api/dashboards/${enc(key)}`),
    data: (key: string) => request<DashboardData>("GET", `/api/dashboards/${enc(key)}/data`),
  };
}
