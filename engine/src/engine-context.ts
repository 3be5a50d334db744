import type { Logger } from "./logger";
import type { DependentRegistry } from "./metadata/dependents";
import type { MetadataRegistry } from "./metadata/registry";
import type { Database } from "./storage/database";
import type { ConnectorRegistry } from "./sync/connector-registry";

/** What request handlers, the CLI and jobs share: the database, the metadata in force, the logger, and who depends on what. */
export interface EngineContext {
  db: Database;
  registry: MetadataRegistry;
  logger: Logger;
  /** Where forms, workflows, permissions and sync mappings declare which fields they use. */
  dependents: DependentRegistry;
  /** The sync connectors by name (`sap-b1`); none when absent. */
  connectors?: ConnectorRegistry;
}
