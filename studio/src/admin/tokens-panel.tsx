import type { ApiToken } from "@kehu/client";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";
import { useReloadingRun } from "./use-reloading-run";

/** The signed-in user's API tokens: a new token's secret is shown once; tokens can be revoked. */
export function TokensPanel() {
  const { t, i18n } = useTranslation();
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [name, setName] = useState("");
  const [access, setAccess] = useState<"read" | "write">("read");
  const [secret, setSecret] = useState<string | null>(null);
  const { error, run } = useReloadingRun(useCallback(() => kehu.tokens.list().then(setTokens), []));
  const create = () =>
    run(async () => {
      setSecret((await kehu.tokens.create({ name: name.trim(), access })).token);
      setName("");
    });
  const date = (at: string | null) => (at ? new Date(at).toLocaleString(i18n.language) : "—");

  return (
    <div>
      <p className="muted">{t("admin.tokens.intro")}</p>
      <ErrorBanner error={error} />
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <input
          name="token-name"
          placeholder={t("admin.tokens.name")}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <select name="token-access" value={access} onChange={(e) => setAccess(e.target.value as "read" | "write")}>
          <option value="read">{t("admin.tokens.read")}</option>
          <option value="write">{t("admin.tokens.write")}</option>
        </select>
        <button type="submit" disabled={!name.trim()}>
          {t("admin.tokens.create")}
        </button>
      </form>
      {secret && (
        <div className="notice" role="status" data-testid="token-secret">
          {t("admin.tokens.once")} <code>{secret}</code>
        </div>
      )}
      {tokens.length === 0 && <p className="muted">{t("admin.tokens.none")}</p>}
      <table className="grid">
        <tbody>
          {tokens.map((tk) => (
            <tr key={tk.id} data-token={tk.name}>
              <td>{tk.name}</td>
              <td>{tk.access === "write" ? t("admin.tokens.write") : t("admin.tokens.read")}</td>
              <td>{t("admin.tokens.lastUsed", { at: date(tk.lastUsedAt) })}</td>
              <td className="actions">
                {tk.revokedAt ? (
                  t("admin.tokens.revoked")
                ) : (
                  <button type="button" className="danger" onClick={() => run(() => kehu.tokens.revoke(tk.id))}>
                    {t("admin.tokens.revoke")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
