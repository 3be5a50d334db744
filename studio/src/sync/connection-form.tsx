import { KehuApiError, type SyncConnection, type SyncConnector } from "@kehu/client";
import type { Issue } from "@kehu/core";
import Form from "@rjsf/core";
import type { ErrorSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { issuesToErrorSchema } from "../data/problem-errors";
import { kehu } from "../lib/kehu";
import { labelText } from "../lib/labels";
import { ErrorBanner } from "../shell/error-banner";
import { configUiSchema } from "./config-ui-schema";

/** Creates or edits a connection; its config form is drawn from the connector's `spec`, secrets as password inputs. */
export function ConnectionForm(props: {
  connectors: SyncConnector[];
  connection?: SyncConnection;
  onSaved: (connection: SyncConnection) => void;
}) {
  const { t, i18n } = useTranslation();
  const existing = props.connection;
  const [name, setName] = useState(existing?.name ?? "");
  const [chosenConnector, setConnectorName] = useState(existing?.connector ?? "");
  // The connectors may arrive after the form mounts: until one is chosen, the first is meant.
  const connectorName = chosenConnector || props.connectors[0]?.name || "";
  const [label, setLabel] = useState(existing?.label ?? "");
  const [schedule, setSchedule] = useState(existing?.schedule ?? "");
  const [enabled, setEnabled] = useState(existing?.enabled ?? true);
  const [config, setConfig] = useState<Record<string, unknown>>(existing?.config ?? {});
  const [fieldErrors, setFieldErrors] = useState<ErrorSchema | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const connector = props.connectors.find((c) => c.name === connectorName);
  const uiSchema = useMemo(() => (connector ? configUiSchema(connector.config) : {}), [connector]);

  const save = async () => {
    setError(null);
    setFieldErrors(undefined);
    setSaved(false);
    const body = {
      connector: connectorName,
      config,
      enabled,
      ...(label ? { label } : {}),
      ...(schedule ? { schedule } : {}),
    };
    try {
      const result = existing
        ? await kehu.sync.connections.update(existing.name, body)
        : await kehu.sync.connections.create({ name, ...body });
      setConfig(result.config);
      setSaved(true);
      props.onSaved(result);
    } catch (e) {
      const issues: Issue[] = e instanceof KehuApiError ? e.issues : [];
      const inConfig = issues
        .filter((i) => i.path.startsWith("/config/"))
        .map((i) => ({ ...i, path: i.path.slice("/config".length) }));
      const fields = Object.keys((connector?.config.properties ?? {}) as object);
      const { errorSchema, unplaced } = issuesToErrorSchema(inConfig, fields);
      setFieldErrors(Object.keys(errorSchema).length ? errorSchema : undefined);
      const rest = [...issues.filter((i) => !i.path.startsWith("/config/")), ...unplaced];
      setError(
        e instanceof KehuApiError && rest.length < issues.length ? new KehuApiError({ ...e.problem, errors: rest }) : e,
      );
    }
  };

  return (
    <div className="connection-form" data-testid="connection-form">
      <div className="form-grid">
        <label>
          {t("sync.name")}
          <input name="connection-name" value={name} disabled={!!existing} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t("sync.connector")}
          <select
            name="connection-connector"
            value={connectorName}
            disabled={!!existing}
            onChange={(e) => {
              setConnectorName(e.target.value);
              setConfig({});
            }}
          >
            {props.connectors.map((c) => (
              <option key={c.name} value={c.name}>
                {labelText(c.label, c.name, i18n.language)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("sync.label")}
          <input name="connection-label" value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label>
          {t("sync.schedule")}
          <input
            name="connection-schedule"
            value={schedule}
            placeholder="*/15 * * * *"
            onChange={(e) => setSchedule(e.target.value)}
          />
        </label>
        <label className="inline">
          <input
            type="checkbox"
            name="connection-enabled"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
          />
          {t("sync.enabled")}
        </label>
      </div>
      <h3>{t("sync.config")}</h3>
      {connector ? (
        <Form
          key={connector.name}
          schema={connector.config}
          uiSchema={uiSchema}
          formData={config}
          validator={validator}
          noValidate
          noHtml5Validate
          showErrorList={false}
          extraErrors={fieldErrors}
          onChange={(e) => {
            setConfig(e.formData ?? {});
            setSaved(false);
          }}
        />
      ) : (
        <p className="muted">{t("sync.noConnectors")}</p>
      )}
      <p className="muted">{t("sync.secretHint")}</p>
      <ErrorBanner error={error} />
      {saved && (
        <div className="notice" role="status">
          {t("sync.saved")}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="primary" onClick={save} disabled={!connector || (!existing && !name)}>
          {t("sync.save")}
        </button>
      </div>
    </div>
  );
}
