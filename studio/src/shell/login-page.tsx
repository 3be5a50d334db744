import { KehuApiError, type KehuUser } from "@kehu/client";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Locale } from "../i18n/i18n";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "./error-banner";
import { LocaleSwitch } from "./locale-switch";

export function LoginPage(props: { onLogin: (u: KehuUser) => void; locale: Locale; onLocale: (l: Locale) => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onLogin((await kehu.auth.login(login, password)).user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit}>
        <div className="login-head">
          <h1>{t("app.name")}</h1>
          <LocaleSwitch locale={props.locale} onLocale={props.onLocale} />
        </div>
        <p className="muted">{t("login.subtitle")}</p>
        <label>
          {t("login.login")}
          <input name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} />
        </label>
        <label>
          {t("login.password")}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error instanceof KehuApiError && error.status === 401 ? (
          <div className="error-banner" role="alert">
            {t("login.failed")}
          </div>
        ) : (
          <ErrorBanner error={error} />
        )}
        <button type="submit" className="primary" disabled={busy || !login || !password}>
          {t("login.submit")}
        </button>
      </form>
    </main>
  );
}
