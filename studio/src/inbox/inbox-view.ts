import type { WorkflowTask } from "@kehu/client";

export type InboxView = "mine" | "claimable";

/**
 * The tab the inbox opens on until the user picks one: the tab holding the task opened by its link, else "mine"
 * unless only claimable tasks wait (an approver who is the only candidate of a step finds it without looking).
 */
export function defaultInboxView(tasks: Record<InboxView, WorkflowTask[]>, openTaskId?: string): InboxView {
  if (openTaskId && tasks.claimable.some((t) => t.id === openTaskId)) return "claimable";
  if (openTaskId && tasks.mine.some((t) => t.id === openTaskId)) return "mine";
  return tasks.mine.length === 0 && tasks.claimable.length > 0 ? "claimable" : "mine";
}
