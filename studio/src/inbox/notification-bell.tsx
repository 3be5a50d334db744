import type { KehuNotification } from "@kehu/client";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";

const POLL_MS = 60_000;

/** Where a notification leads: the caller's open task in its workflow, else the record the workflow runs for. */
function notificationHref(n: KehuNotification): string | null {
  if (n.taskId) return routeHref("inbox", n.taskId);
  if (n.subject?.entity && n.subject.recordId) return routeHref("data", n.subject.entity, n.subject.recordId);
  return null;
}

/**
 * The bell in the top bar: the unread count (reloaded on each route change and every minute) and, opened, my latest
 * notifications and reminders with a link to their task or record, each marked read on its own or all at once.
 */
export function NotificationBell({ routeKey }: { routeKey: string }) {
  const { t, i18n } = useTranslation();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<KehuNotification[]>([]);
  const [error, setError] = useState<unknown>(null);

  const loadCount = useCallback(() => {
    kehu.notifications.unreadCount().then(setUnread, () => undefined);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the route is the reason to reload
  useEffect(loadCount, [loadCount, routeKey]);
  useEffect(() => {
    const timer = setInterval(loadCount, POLL_MS);
    return () => clearInterval(timer);
  }, [loadCount]);

  const loadList = useCallback(async () => {
    try {
      const page = await kehu.notifications.list({ limit: 30 });
      setItems(page.data);
      setUnread(page.unread);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    if (open) void loadList();
  }, [open, loadList]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: following a link closes the panel
  useEffect(() => setOpen(false), [routeKey]);

  const markRead = async (id: string) => {
    try {
      const done = await kehu.notifications.markRead(id);
      setItems((list) => list.map((n) => (n.id === id ? { ...n, readAt: done.readAt } : n)));
      setUnread(done.unread);
    } catch (e) {
      setError(e);
    }
  };
  const markAll = async () => {
    try {
      await kehu.notifications.markAllRead();
      await loadList();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="notification-bell">
      <button
        type="button"
        className="bell"
        data-testid="notification-bell"
        aria-expanded={open}
        aria-label={t("notifications.title")}
        title={t("notifications.unread", { count: unread })}
        onClick={() => setOpen((o) => !o)}
      >
        <svg
          aria-hidden="true"
          width="16"
          height="16"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {unread > 0 && (
          <span className="badge" data-testid="notification-count">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div className="notification-panel" data-testid="notification-panel">
          <div className="page-head">
            <strong>{t("notifications.title")}</strong>
            <div className="spacer" />
            <button type="button" className="link" disabled={unread === 0} onClick={markAll}>
              {t("notifications.markAllRead")}
            </button>
          </div>
          <ErrorBanner error={error} />
          {items.length === 0 && <p className="muted">{t("notifications.empty")}</p>}
          <ul>
            {items.map((n) => {
              const href = notificationHref(n);
              return (
                <li key={n.id} className={n.readAt ? "read" : "unread"} data-testid="notification">
                  <div>
                    {href ? <a href={href}>{n.title}</a> : <strong>{n.title}</strong>}
                    <span className="muted"> · {new Date(n.createdAt).toLocaleString(i18n.language)}</span>
                  </div>
                  {n.body && <div className="notification-body">{n.body}</div>}
                  {!n.readAt && (
                    <button type="button" className="link" onClick={() => markRead(n.id)}>
                      {t("notifications.markRead")}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
