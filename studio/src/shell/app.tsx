import type { KehuUser } from "@kehu/client";
import { useCallback, useEffect, useMemo, useState } from "react";
import { I18nextProvider } from "react-i18next";
import { createI18n, type Locale } from "../i18n/i18n";
import { saveLocale, storedLocale } from "../i18n/locale-store";
import { kehu } from "../lib/kehu";
import { Layout } from "./layout";
import { LoginPage } from "./login-page";

/** The studio: checks the session, then shows the login page or the app in the user's language. */
export function App() {
  const [user, setUser] = useState<KehuUser | null | undefined>(undefined);
  const [locale, setLocale] = useState<Locale>(() => storedLocale(null, navigator.language));
  const i18n = useMemo(() => createI18n(locale), [locale]);

  const signedIn = useCallback((u: KehuUser) => {
    setUser(u);
    setLocale(storedLocale(u.login, u.locale));
  }, []);

  useEffect(() => {
    kehu.auth.me().then(
      (s) => signedIn(s.user),
      () => setUser(null),
    );
  }, [signedIn]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const changeLocale = (next: Locale) => {
    saveLocale(user?.login ?? null, next);
    setLocale(next);
  };
  const logout = async () => {
    await kehu.auth.logout().catch(() => undefined);
    setUser(null);
  };

  return (
    <I18nextProvider i18n={i18n}>
      {user === undefined ? null : user === null ? (
        <LoginPage onLogin={signedIn} locale={locale} onLocale={changeLocale} />
      ) : (
        <Layout user={user} locale={locale} onLocale={changeLocale} onLogout={logout} />
      )}
    </I18nextProvider>
  );
}
