import { useTranslation } from "react-i18next";
import { LOCALES, type Locale } from "../i18n/i18n";

/** The language menu; each language is named in itself. */
export function LocaleSwitch({ locale, onLocale }: { locale: Locale; onLocale: (l: Locale) => void }) {
  const { t } = useTranslation();
  return (
    <label className="locale-switch">
      <span className="sr-only">{t("shell.language")}</span>
      <select
        aria-label={t("shell.language")}
        data-testid="locale-switch"
        value={locale}
        onChange={(e) => onLocale(e.target.value as Locale)}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(`shell.locales.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
