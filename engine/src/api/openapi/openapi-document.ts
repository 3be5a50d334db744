import type { EntityDefinition } from "@kehu/schema";
import { entityPaths, entitySchemas, entityTag, sharedRecordSchemas } from "./entity-paths";
import { METADATA_TAG, metaPaths, metaSchemas } from "./meta-paths";
import { commonComponents, type OpenApiObject } from "./openapi-components";
import { PLATFORM_TAGS, platformPaths } from "./platform-paths";

export interface OpenApiOptions {
  /** `info.version`: the engine's version. */
  version: string;
}

/**
 * The OpenAPI 3.1 document of the API as the given metadata makes it: every entity's data routes with
 * its record schemas, the metadata routes, problem+json errors and the security schemes.
 *
 * @example
 * buildOpenApiDocument(ctx.registry.list(), {version: "0.1.0"}).paths["/api/data/customer"]
 */
export function buildOpenApiDocument(
  entities: readonly EntityDefinition[],
  options: OpenApiOptions,
): OpenApiObject & {
  paths: Record<string, OpenApiObject>;
  components: ReturnType<typeof commonComponents>;
} {
  const sorted = [...entities].sort((a, b) => a.name.localeCompare(b.name));
  const names = new Set(sorted.map((e) => e.name));
  const components = commonComponents();
  Object.assign(components.schemas, sharedRecordSchemas, metaSchemas());
  const paths: Record<string, OpenApiObject> = {};
  for (const entity of sorted) {
    Object.assign(
      components.schemas,
      entitySchemas(entity, (n) => names.has(n)),
    );
    Object.assign(paths, entityPaths(entity));
  }
  Object.assign(paths, metaPaths(), platformPaths());
  return {
    openapi: "3.1.0",
    info: {
      title: "Kehu API",
      version: options.version,
      description:
        "Generated from the current metadata: every entity's records under `/api/data/<entity>`, its definition under " +
        "`/api/meta/entities`, and every other route of the engine (auth, admin, currencies, audit, reports, forms, " +
        "revisions, workflows, tasks, sync). Errors are RFC 9457 `application/problem+json`.",
    },
    tags: [...sorted.map(entityTag), METADATA_TAG, ...PLATFORM_TAGS],
    paths,
    components,
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
  };
}
