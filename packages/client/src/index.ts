export type {
  AdminRole,
  AdminUser,
  AdminUserInput,
  ApiToken,
  DepartmentInput,
  DepartmentNode,
  ExplainDecision,
  ExplainStep,
  Explanation,
  OwnershipTransferInput,
  PermissionAction,
  PermissionScope,
  RoleInput,
  RolePermissions,
} from "./admin-types";
export { KehuApiError } from "./api-error";
export type {
  AppliedEntity,
  AuditEntry,
  KehuUser,
  MigrationPlanView,
  PlanPreview,
  PlanStep,
  RevertResult,
  RevisionDiff,
  RevisionEntry,
  Session,
} from "./api-types";
export type {
  ApprovalLevelSpec,
  ApprovalMatrix,
  ApprovalMatrixInput,
  ApprovalPlan,
  ApprovalRun,
  ApprovalSubstitute,
  ApprovalTierSpec,
  ApproverSpec,
} from "./approval-types";
export type {
  BulkResult,
  ClientOptions,
  ImportOptions,
  ImportResult,
  ImportRowError,
  KehuRecord,
  ListPage,
  ListQuery,
} from "./kehu-client";
export { KehuClient, listQueryString } from "./kehu-client";
export type { KehuNotification } from "./notifications-api";
export type {
  ChartSpec,
  ChartType,
  DashboardData,
  DashboardDefinition,
  DashboardReport,
  DateBucket,
  ReportDefinition,
  ReportFunction,
  ReportLabel,
  ReportQuery,
  ReportResult,
  ReportRow,
  SavedDashboard,
  SavedReport,
} from "./report-types";
export { readEvents } from "./sync-api";
export type {
  ConflictResolution,
  SyncConflict,
  SyncConnection,
  SyncConnectionInput,
  SyncConnector,
  SyncDeadLetter,
  SyncLedgerEntry,
  SyncLedgerQuery,
  SyncRun,
  SyncRunStatus,
} from "./sync-types";
export type {
  InstanceStatus,
  TaskComment,
  TaskCompletion,
  TaskForm,
  TaskSubject,
  WorkflowDeployment,
  WorkflowHistoryEntry,
  WorkflowInstance,
  WorkflowInstanceDetail,
  WorkflowServiceInfo,
  WorkflowTask,
  WorkflowTaskDetail,
  WorkflowTrigger,
} from "./workflow-types";
export type { InstanceQuery } from "./workflows-api";
