import type { Knex } from "knex";
import type { EngineContext } from "../engine-context";
import type { HotEngines } from "./hot-engines";
import type { ServiceLibrary } from "./service-library";
import type { ScheduledTimer } from "./timer-projection";
import type { WorkflowSettings } from "./workflow-settings";

/** The runtime's time: the system clock in production, a virtual clock in tests (timers fire when it is advanced). */
export interface WorkflowClock {
  now(): Date;
}

/** What a step of an instance needs besides its transaction. */
export interface RuntimeDeps {
  ctx: EngineContext;
  library: ServiceLibrary;
  clock: WorkflowClock;
  /** The XML of a deployment version and its parse (immutable, so cached). */
  sourceOf(knex: Knex, key: string, version: number): Promise<{ xml: string; context: object | undefined }>;
  /** The workflow settings (cached briefly). */
  settings(knex: Knex): Promise<WorkflowSettings>;
  /** Wakes new timers at their due time (a pg-boss job sent in the step's transaction); a no-op without a job queue. */
  schedule(trx: Knex, timers: ScheduledTimer[]): Promise<void>;
  /** This process's engines left waiting, continued by the instance's next step here (none: always recover). */
  hotEngines?: HotEngines;
}
