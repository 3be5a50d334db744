import type { Connector } from "@kehu/connector-kit";
import { sapB1Connector } from "@kehu/connector-sap-b1";
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

/** The connectors Kehu ships: the SAP Business One Service Layer connector. */
export function builtInConnectors(): ConnectorRegistry {
  // A connector validates its own config against its spec, so the registry may hold it by its general type.
  return new Map<string, Connector>([["sap-b1", sapB1Connector as unknown as Connector]]);
}
