import { useTranslation } from "react-i18next";
import { errorView } from "../lib/error-text";

/**
 * A failure as the user should read it: a title in their language (the server's when the studio does not know
 * the problem), the server's sentence, and each named problem.
 */
export function ErrorBanner({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const view = errorView(error, t("errors.unexpected"));
  const key = view.code && `problems.${view.code}`;
  const title = key && i18n.exists(key) ? t(key) : view.title;
  return (
    <div className="error-banner" role="alert">
      <strong>{title}</strong>
      {view.detail && view.detail !== title && <div>{view.detail}</div>}
      {view.issues.length > 0 && (
        <ul>
          {view.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
      {view.status === 401 && (
        <button type="button" onClick={() => window.location.reload()}>
          {t("errors.signInAgain")}
        </button>
      )}
    </div>
  );
}
