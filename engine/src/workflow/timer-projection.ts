/** A timer a step set (its row in `kehu.wf_timers`, written by writeStep), for the job queue to wake at `due`. */
export interface ScheduledTimer {
  id: string;
  instanceId: string;
  due: Date;
}
