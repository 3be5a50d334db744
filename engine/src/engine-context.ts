import type { JobQueue } from "./jobs/job-queue";
import type { Logger } from "./logger";
import type { DependentRegistry } from "./metadata/dependents";
import type { MetadataRegistry } from "./metadata/registry";
import type { Database } from "./storage/database";
import type { ConnectorRegistry } from "./sync/connector-registry";
import type { WorkflowRuntime } from "./workflow/workflow-runtime";

/** What request handlers, the CLI and jobs share: the database, the metadata in force, the logger, and who depends on what. */
export interface EngineContext {
  db: Database;
  registry: MetadataRegistry;
  logger: Logger;
  /** Where forms, workflows, permissions and sync mappings declare which fields they use. */
  dependents: DependentRegistry;
  /** The BPMN runtime (set by createEngine). */
  workflows?: WorkflowRuntime;
  /** Background jobs (pg-boss): durable timers; started by `kehu start` or `createEngine(db, logger, {jobs: true})`. */
  jobs?: JobQueue;
  /** The sync connectors by name (`sap-b1`); none when absent. */
  connectors?: ConnectorRegistry;
}
