import type { Connector } from "@kehu/connector-kit";
import { AppError } from "@kehu/core";

/** The connectors a sync runner may use, by name (`sap-b1` → the SAP Business One connector). */
export type ConnectorRegistry = ReadonlyMap<string, Connector>;

/** The connector of a name, or a 400 listing the ones available. */
export function requireConnector(registry: ConnectorRegistry, name: string): Connector {
  const found = registry.get(name);
  if (!found)
    throw new AppError("validation_failed", `No connector named "${name}"`, [
      { path: "/connector", message: `must be one of: ${[...registry.keys()].join(", ") || "(none installed)"}` },
    ]);
  return found;
}
