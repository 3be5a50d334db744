import { type ImportResult, type ImportRowError, KehuApiError } from "@kehu/client";
import type { EntityDefinition } from "@kehu/schema";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { fieldLabel } from "../lib/labels";
import { ErrorBanner } from "../shell/error-banner";
import { autoMapping, csvHeader, importTargets, rowErrorsCsv } from "./import-columns";
import { xlsxHeader } from "./xlsx-header";

type Mode = "all-or-nothing" | "skip-invalid";
type Outcome = { result: ImportResult; refused: boolean };

/**
 * Imports a CSV or XLSX file into an entity: pick the file, check how its columns map to fields (matched by name or
 * label, editable), choose all-or-nothing or skip-invalid and an optional unique field to upsert by, run, and read the
 * server's row errors (row, column, message), also as a CSV download.
 */
export function ImportWizard(props: { entity: EntityDefinition; onImported: () => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [mode, setMode] = useState<Mode>("all-or-nothing");
  const [upsertBy, setUpsertBy] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const targets = importTargets(props.entity);
  const uniques = props.entity.fields.filter((f) => f.unique);

  const pick = async (picked: File | undefined) => {
    setOutcome(null);
    setError(null);
    if (!picked) return;
    try {
      const cells = /\.xlsx$/i.test(picked.name)
        ? await xlsxHeader(await picked.arrayBuffer())
        : csvHeader(await picked.slice(0, 64 * 1024).text());
      setFile(picked);
      setHeaders(cells);
      setMapping(autoMapping(props.entity, cells));
    } catch (e) {
      setFile(null);
      setError(e);
    }
  };

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const result = await kehu.data(props.entity.name).import(file, file.name, {
        mode,
        mapping,
        upsertBy: upsertBy || undefined,
      });
      setOutcome({ result, refused: false });
      if (result.created + result.updated > 0) props.onImported();
    } catch (e) {
      const rows = e instanceof KehuApiError && e.status === 422 ? (e.issues as unknown as ImportRowError[]) : null;
      if (rows?.every((r) => typeof r.row === "number"))
        setOutcome({
          result: {
            created: 0,
            updated: 0,
            skipped: new Set(rows.map((r) => r.row)).size,
            errors: rows,
            dryRun: false,
          },
          refused: true,
        });
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const download = () => {
    if (!outcome) return;
    const url = URL.createObjectURL(new Blob([rowErrorsCsv(outcome.result.errors)], { type: "text/csv" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${props.entity.name}-import-errors.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const mapped = Object.values(mapping).filter(Boolean);
  return (
    <section className="import-wizard card" data-testid="import-wizard">
      <div className="page-head">
        <h2>{t("importer.title")}</h2>
        <div className="spacer" />
        <button type="button" onClick={props.onClose}>
          {t("importer.close")}
        </button>
      </div>
      <label className="field">
        <span>{t("importer.file")}</span>
        <input
          type="file"
          accept=".csv,.xlsx,text/csv"
          data-testid="import-file"
          onChange={(e) => void pick(e.target.files?.[0])}
        />
      </label>
      {file && headers.length > 0 && (
        <>
          <h3>{t("importer.mapping")}</h3>
          <table className="grid" data-testid="import-mapping">
            <thead>
              <tr>
                <th>{t("importer.column")}</th>
                <th>{t("importer.field")}</th>
              </tr>
            </thead>
            <tbody>
              {headers.map((h) => (
                <tr key={h}>
                  <td>{h}</td>
                  <td>
                    <select
                      aria-label={h}
                      value={mapping[h] ?? ""}
                      onChange={(e) => setMapping((m) => ({ ...m, [h]: e.target.value || null }))}
                    >
                      <option value="">{t("importer.skipColumn")}</option>
                      {targets.map((tg) => (
                        <option key={tg.key} value={tg.key}>
                          {fieldLabel(tg.field, i18n.language)}
                          {tg.part === "currency" ? ` (${t("form.currency")})` : ""}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <fieldset className="import-mode">
            <legend>{t("importer.mode")}</legend>
            {(["all-or-nothing", "skip-invalid"] as const).map((m) => (
              <label key={m} className="inline">
                <input type="radio" name="import-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
                {t(`importer.modes.${m}`)}
              </label>
            ))}
          </fieldset>
          {uniques.length > 0 && (
            <label className="field">
              <span>{t("importer.upsertBy")}</span>
              <select value={upsertBy} onChange={(e) => setUpsertBy(e.target.value)} data-testid="import-upsert">
                <option value="">{t("importer.createOnly")}</option>
                {uniques.map((f) => (
                  <option key={f.name} value={f.name}>
                    {fieldLabel(f, i18n.language)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="button" className="primary" disabled={busy || mapped.length === 0} onClick={run}>
            {busy ? t("common.loading") : t("importer.run")}
          </button>
        </>
      )}
      <ErrorBanner error={error} />
      {outcome && (
        <div className="import-result" data-testid="import-result">
          <p>
            {outcome.refused
              ? t("importer.refused", { count: outcome.result.skipped })
              : t("importer.summary", { ...outcome.result })}
          </p>
          {outcome.result.errors.length > 0 && (
            <>
              <table className="grid" data-testid="import-errors">
                <thead>
                  <tr>
                    <th>{t("importer.row")}</th>
                    <th>{t("importer.column")}</th>
                    <th>{t("importer.message")}</th>
                  </tr>
                </thead>
                <tbody>
                  {outcome.result.errors.map((e, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a row may have several errors of one column
                    <tr key={i}>
                      <td>{e.row}</td>
                      <td>{e.column ?? e.field ?? ""}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button type="button" onClick={download}>
                {t("importer.downloadErrors")}
              </button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
