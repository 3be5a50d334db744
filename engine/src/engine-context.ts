import type { Logger } from "./logger";
import type { MetadataRegistry } from "./metadata/registry";
import type { Database } from "./storage/database";

/** What request handlers, the CLI and jobs share: the database, the metadata in force, and the logger. */
export interface EngineContext {
  db: Database;
  registry: MetadataRegistry;
  logger: Logger;
}
