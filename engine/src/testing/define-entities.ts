import type { EntityDefinition } from "@kehu/schema";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "../metadata/apply-entities";

/** Applies entity definitions the way consultants do (validated, planned, one transaction), for tests. */
export async function defineEntities(ctx: EngineContext, definitions: EntityDefinition[]): Promise<void> {
  await applyEntities(ctx, definitions, { actor: "test", confirm: true });
}
