import type { EntityDefinition } from "@kehu/schema";
import { createContext, useContext } from "react";

export interface EntitiesState {
  entities: EntityDefinition[];
  /** False until the first answer came. */
  loaded: boolean;
  /** Reloads the definitions (after the designer applied a change). */
  refresh(): Promise<void>;
}

export const EntitiesContext = createContext<EntitiesState>({
  entities: [],
  loaded: false,
  refresh: async () => undefined,
});

/** The entity definitions the user can see. */
export function useEntities(): EntitiesState {
  return useContext(EntitiesContext);
}
