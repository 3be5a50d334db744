import { type TimerContent, timerDue } from "./timer-due";

/** A timer bpmn-engine asked for: never armed in memory; the runtime persists it and fires it by hand. */
export interface PendingTimer {
  timerId: string;
  delay: number;
  /** The timer event's content: `id` (element), `executionId`, `isResumed`, `timerType`... */
  owner: (TimerContent & { id?: string; executionId?: string; isResumed?: boolean }) | null;
  args: unknown[];
  callback: (...args: unknown[]) => void;
  expireAt: Date;
  timerRef: null;
}

/**
 * bpmn-engine's `timers` option without any `setTimeout`: timers are only recorded, so the runtime can store their due
 * time (virtual clock, any length: the engine itself never arms delays over ~24.8 days) and fire them from the durable
 * timer table. One instance per engine (engine.stop() clears every timer of the instance it holds).
 */
export class DurableTimers {
  private readonly pending = new Set<PendingTimer>();
  private count = 0;

  constructor(private readonly now: () => Date) {
    this.setTimeout = this.setTimeout.bind(this);
    this.clearTimeout = this.clearTimeout.bind(this);
  }

  get executing(): PendingTimer[] {
    return [...this.pending];
  }

  register(owner: PendingTimer["owner"]) {
    return {
      owner,
      setTimeout: (callback: PendingTimer["callback"], delay: number, ...args: unknown[]) =>
        this.add(owner, callback, delay, args),
      clearTimeout: (ref: PendingTimer) => this.clearTimeout(ref),
    };
  }

  setTimeout(callback: PendingTimer["callback"], delay: number, ...args: unknown[]): PendingTimer {
    return this.add(null, callback, delay, args);
  }

  clearTimeout(ref: unknown): undefined {
    this.pending.delete(ref as PendingTimer);
    return undefined;
  }

  /** Fires a recorded timer now (the engine completes it as if its delay had passed). */
  fire(ref: PendingTimer): void {
    this.pending.delete(ref);
    ref.callback(...ref.args);
  }

  private add(owner: PendingTimer["owner"], callback: PendingTimer["callback"], delay: number, args: unknown[]) {
    const ref: PendingTimer = {
      timerId: `timer_${this.count++}`,
      delay,
      owner,
      args,
      callback,
      expireAt: timerDue(owner, this.now(), delay),
      timerRef: null,
    };
    this.pending.add(ref);
    return ref;
  }
}
