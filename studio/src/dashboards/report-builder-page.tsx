import type { ChartType, DateBucket, ReportDefinition, ReportFunction, ReportResult, SavedReport } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { FilterBuilder } from "../data/filter-builder";
import { navigate } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel, fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import {
  type BuilderState,
  builderDefinition,
  builderStateOf,
  EMPTY_BUILDER,
  groupableFields,
  isDateField,
  measurableFields,
} from "./report-builder-state";
import { ReportCard } from "./report-card";
import "./dashboards.css";

const FUNCTIONS: ReportFunction[] = ["count", "sum", "avg", "min", "max"];
const BUCKETS: DateBucket[] = ["day", "month", "quarter", "year"];
const CHARTS: ChartType[] = ["bar", "line", "pie", "funnel", "table"];

/**
 * `#/reports/builder` (administrators): an entity's filters, groups and measures, previewed as the admin, saved by
 * key; `#/reports/builder/<key>` opens a saved report to edit it.
 */
export function ReportBuilderPage({ reportKey }: { reportKey?: string }) {
  const { t, i18n } = useTranslation();
  const { entities, loaded } = useEntities();
  const [state, setState] = useState<BuilderState>(EMPTY_BUILDER);
  const [savedReports, setSavedReports] = useState<SavedReport[]>([]);
  const [opened, setOpened] = useState<ReportDefinition | null>(null);
  const [preview, setPreview] = useState<{ report: ReportDefinition; result: ReportResult } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const entity = entities.find((e) => e.name === state.entity);
  useEffect(() => {
    kehu.reports.list().then(setSavedReports, setError);
  }, []);
  useEffect(() => {
    if (reportKey) kehu.reports.get(reportKey).then((r) => setOpened(r.definition), setError);
  }, [reportKey]);
  useEffect(() => {
    if (opened && loaded)
      setState(
        builderStateOf(
          opened,
          entities.find((e) => e.name === opened.query.entity),
        ),
      );
  }, [opened, loaded, entities]);
  const change = (patch: Partial<BuilderState>) => {
    setState({ ...state, ...patch });
    setSaved(false);
  };
  const nameOf = (name: string) => {
    if (name === "owner_id") return t("reportBuilder.owner");
    if (name === "department_id") return t("reportBuilder.department");
    const field = entity?.fields.find((f) => f.name === name);
    return field ? fieldLabel(field, i18n.language) : name;
  };
  const run = async (action: "preview" | "save") => {
    setError(null);
    const report = builderDefinition(state, entity?.fields);
    try {
      if (action === "preview") setPreview({ report, result: await kehu.reports.query(report.query) });
      else {
        await kehu.reports.save(report);
        setSaved(true);
      }
    } catch (e) {
      setError(e);
    }
  };
  const groups = entity ? groupableFields(entity) : [];
  const numeric = entity ? measurableFields(entity) : [];

  return (
    <section className="report-builder" data-testid="report-builder">
      <h1>{t("reportBuilder.title")}</h1>
      <label>
        {t("reportBuilder.open")}{" "}
        <select
          name="report-open"
          value={reportKey ?? ""}
          onChange={(e) =>
            e.target.value ? navigate("reports", "builder", e.target.value) : navigate("reports", "builder")
          }
        >
          <option value="">{t("reportBuilder.newReport")}</option>
          {savedReports.map((r) => (
            <option key={r.definition.key} value={r.definition.key}>
              {r.definition.label?.[i18n.language.startsWith("zh") ? "zh" : "en"] ?? r.definition.key}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("reportBuilder.entity")}{" "}
        <select
          name="report-entity"
          value={state.entity}
          onChange={(e) => change({ ...EMPTY_BUILDER, key: state.key, entity: e.target.value })}
        >
          <option value="">{t("reportBuilder.pickEntity")}</option>
          {entities.map((e) => (
            <option key={e.name} value={e.name}>
              {entityLabel(e, i18n.language)}
            </option>
          ))}
        </select>
      </label>
      {entity && (
        <>
          <fieldset data-testid="report-filters">
            <legend>{t("reportBuilder.filters")}</legend>
            {state.keptFilter !== undefined ? (
              <p className="muted">
                {t("reportBuilder.keptFilter")} <code>{JSON.stringify(state.keptFilter)}</code>{" "}
                <button type="button" onClick={() => change({ keptFilter: undefined })}>
                  {t("reportBuilder.clearFilter")}
                </button>
              </p>
            ) : (
              <FilterBuilder fields={entity.fields} state={state.filter} onChange={(filter) => change({ filter })} />
            )}
          </fieldset>
          <fieldset>
            <legend>{t("reportBuilder.groupBy")}</legend>
            {state.groups.map((g, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: groups are edited in place by position
              <span key={i}>
                <select
                  name={`report-group-${i}`}
                  value={g.field}
                  onChange={(e) =>
                    change({ groups: state.groups.map((x, j) => (j === i ? { field: e.target.value } : x)) })
                  }
                >
                  {groups.map((f) => (
                    <option key={f} value={f}>
                      {nameOf(f)}
                    </option>
                  ))}
                </select>
                {isDateField(entity.fields.find((f) => f.name === g.field)) && (
                  <select
                    aria-label={t("reportBuilder.bucket")}
                    value={g.by ?? ""}
                    onChange={(e) =>
                      change({
                        groups: state.groups.map((x, j) =>
                          j === i ? { field: x.field, by: (e.target.value || undefined) as DateBucket | undefined } : x,
                        ),
                      })
                    }
                  >
                    <option value="">{t("reportBuilder.buckets.none")}</option>
                    {BUCKETS.map((b) => (
                      <option key={b} value={b}>
                        {t(`reportBuilder.buckets.${b}`)}
                      </option>
                    ))}
                  </select>
                )}
                <button type="button" onClick={() => change({ groups: state.groups.filter((_, j) => j !== i) })}>
                  {t("reportBuilder.remove")}
                </button>
              </span>
            ))}
            <button
              type="button"
              disabled={groups.length === 0}
              onClick={() => change({ groups: [...state.groups, { field: groups[0] }] })}
            >
              {t("reportBuilder.addGroup")}
            </button>
          </fieldset>
          <fieldset>
            <legend>{t("reportBuilder.measures")}</legend>
            {state.measures.map((m, i) => {
              const set = (patch: Partial<BuilderState["measures"][number]>) =>
                change({ measures: state.measures.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: measures are edited in place by position
                <span key={i}>
                  <select
                    name={`report-measure-${i}-fn`}
                    aria-label={t("reportBuilder.fn")}
                    value={m.fn}
                    onChange={(e) => {
                      const fn = e.target.value as ReportFunction;
                      set({ fn, field: fn === "count" ? undefined : (m.field ?? numeric[0]) });
                    }}
                  >
                    {FUNCTIONS.map((fn) => (
                      <option key={fn} value={fn}>
                        {t(`reportBuilder.fns.${fn}`)}
                      </option>
                    ))}
                  </select>
                  {m.fn !== "count" && (
                    <select
                      name={`report-measure-${i}-field`}
                      aria-label={t("reportBuilder.field")}
                      value={m.field ?? ""}
                      onChange={(e) => set({ field: e.target.value })}
                    >
                      {numeric.map((f) => (
                        <option key={f} value={f}>
                          {nameOf(f)}
                        </option>
                      ))}
                    </select>
                  )}
                  <input
                    name={`report-measure-${i}-as`}
                    placeholder={t("reportBuilder.name")}
                    aria-label={t("reportBuilder.name")}
                    value={m.as ?? ""}
                    onChange={(e) => set({ as: e.target.value })}
                  />
                  <button
                    type="button"
                    disabled={state.measures.length === 1}
                    onClick={() => change({ measures: state.measures.filter((_, j) => j !== i) })}
                  >
                    {t("reportBuilder.remove")}
                  </button>
                </span>
              );
            })}
            <button type="button" onClick={() => change({ measures: [...state.measures, { fn: "count" }] })}>
              {t("reportBuilder.addMeasure")}
            </button>
          </fieldset>
          <label>
            {t("reportBuilder.chart")}{" "}
            <select
              name="report-chart"
              value={state.chart}
              onChange={(e) => change({ chart: e.target.value as ChartType })}
            >
              {CHARTS.map((c) => (
                <option key={c} value={c}>
                  {t(`reportBuilder.charts.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => run("preview")}>
            {t("reportBuilder.preview")}
          </button>
          <fieldset>
            <label>
              {t("reportBuilder.key")}{" "}
              <input name="report-key" value={state.key} onChange={(e) => change({ key: e.target.value })} />
            </label>
            <label>
              {t("reportBuilder.labelEn")}{" "}
              <input
                name="report-label-en"
                value={state.labelEn}
                onChange={(e) => change({ labelEn: e.target.value })}
              />
            </label>
            <label>
              {t("reportBuilder.labelZh")}{" "}
              <input
                name="report-label-zh"
                value={state.labelZh}
                onChange={(e) => change({ labelZh: e.target.value })}
              />
            </label>
            <button type="button" onClick={() => run("save")}>
              {t("reportBuilder.save")}
            </button>
          </fieldset>
        </>
      )}
      <ErrorBanner error={error} />
      {saved && <p role="status">{t("reportBuilder.saved")}</p>}
      {preview && (
        <ReportCard
          key={JSON.stringify(preview.report)}
          reportKey={preview.report.key || "preview"}
          report={preview.report}
          result={preview.result}
          isAdmin
          explain={() => kehu.reports.query(preview.report.query, { explain: true })}
        />
      )}
    </section>
  );
}
