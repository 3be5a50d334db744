import type { TaskSubject } from "./workflow-types";

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** One of the caller's notifications: a workflow's `notify` step, a reminder or an escalation. */
export interface KehuNotification {
  id: string;
  title: string;
  body: string | null;
  instanceId: string | null;
  /** The workflow's process and the record it runs for, when it sent the notification. */
  subject: TaskSubject | null;
  /** The caller's open task in that workflow, if any. */
  taskId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** The caller's notifications (`/api/notifications`): list with the unread count, mark read. */
export function notificationsApi(request: Request) {
  return {
    list: (opts: { unread?: boolean; limit?: number } = {}) => {
      const q = new URLSearchParams();
      if (opts.unread) q.set("unread", "1");
      if (opts.limit !== undefined) q.set("limit", String(opts.limit));
      const s = q.toString();
      return request<{ data: KehuNotification[]; unread: number }>("GET", `/api/notifications${s ? `?${s}` : ""}`);
    },
    unreadCount: async () => (await request<{ unread: number }>("GET", "/api/notifications/unread-count")).unread,
    markRead: (id: string) =>
      request<KehuNotification & { unread: number }>("POST", `/api/notifications/${encodeURIComponent(id)}/read`, {}),
    markAllRead: () => request<{ marked: number; unread: number }>("POST", "/api/notifications/read-all", {}),
  };
}
