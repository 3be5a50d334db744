import { useTranslation } from "react-i18next";
import { errorView } from "../lib/error-text";

/** A failure as the user should read it: the server's title and detail and each named problem. */
export function ErrorBanner({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const view = errorView(error, t("errors.unexpected"));
  return (
    <div className="error-banner" role="alert">
      <strong>{view.title}</strong>
      {view.detail && view.detail !== view.title && <div>{view.detail}</div>}
      {view.issues.length > 0 && (
        <ul>
          {view.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
