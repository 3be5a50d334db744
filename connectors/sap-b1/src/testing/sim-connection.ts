import {
  defaultCredentials,
  type SapB1Simulator,
  type SapB1SimulatorOptions,
  startSapB1Simulator,
} from "../../simulator";
import type { SapB1Config } from "../sap-b1-config";

/** A simulator on a real socket plus a connector config pointing at it, for tests. */
export async function startSimConnection(
  version: "v1" | "v2",
  options: SapB1SimulatorOptions = {},
  config: Partial<SapB1Config> = {},
): Promise<{ sim: SapB1Simulator; config: SapB1Config }> {
  const sim = await startSapB1Simulator({ seed: "demo", ...options });
  return {
    sim,
    config: {
      baseUrl: sim.origin,
      companyDb: defaultCredentials.companyDB,
      userName: defaultCredentials.userName,
      password: defaultCredentials.password,
      apiVersion: version,
      pageSize: 25,
      ...config,
    },
  };
}
