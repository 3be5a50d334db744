import type { WorkflowClock } from "./runtime-deps";

/** The real time. */
export const systemClock: WorkflowClock = { now: () => new Date() };

/** A clock that moves only when told: tests advance it by days and fire the timers that fall due, without waiting. */
export class VirtualClock implements WorkflowClock {
  private ms: number;

  constructor(start: Date | string = new Date()) {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): Date {
    this.ms += ms;
    return this.now();
  }
}
