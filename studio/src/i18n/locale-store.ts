import { type Locale, normalizeLocale } from "./i18n";

// The API has no route for a user to change their own locale yet: the choice is kept per login in this browser,
// starting from the user's locale in kehu.users.
const key = (login: string | null) => (login ? `kehu.locale.${login}` : "kehu.locale");

/** The locale to show for a user (or before login): their saved choice, else `fallback`. */
export function storedLocale(login: string | null, fallback?: string | null): Locale {
  const saved = safeStorage()?.getItem(key(login)) ?? safeStorage()?.getItem(key(null));
  return normalizeLocale(login ? (safeStorage()?.getItem(key(login)) ?? fallback ?? saved) : (saved ?? fallback));
}

export function saveLocale(login: string | null, locale: Locale): void {
  safeStorage()?.setItem(key(login), locale);
  safeStorage()?.setItem(key(null), locale);
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
