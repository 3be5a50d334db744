import type { KehuRecord } from "@kehu/client";
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { navigate, routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel, fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { CellValue } from "./cell-value";
import { ColumnPicker } from "./column-picker";
import { ExportMenu } from "./export-menu";
import { EMPTY_FILTER, type FilterState } from "./filter-ast";
import { FilterBuilder } from "./filter-builder";
import { defaultColumns, isSortable, listQuery, nextSort } from "./list-query";
import { SavedViews } from "./saved-views-bar";

// The import wizard (with its spreadsheet header reader) loads when first opened.
const ImportWizard = lazy(() => import("./import-wizard").then((m) => ({ default: m.ImportWizard })));

/** An entity's records: chosen columns, header sort, filters, search, saved views and "load more". */
export function ListPage({ entityName }: { entityName: string }) {
  const { t, i18n } = useTranslation();
  const { entities, loaded } = useEntities();
  const entity = entities.find((e) => e.name === entityName);
  const [columns, setColumns] = useState<string[]>([]);
  const [sort, setSort] = useState("");
  const [filter, setFilter] = useState<FilterState>(EMPTY_FILTER);
  const [search, setSearch] = useState("");
  const [fuzzy, setFuzzy] = useState(false);
  const [rows, setRows] = useState<KehuRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [showFilters, setShowFilters] = useState(false);
  const [importing, setImporting] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    if (entity && columns.length === 0) setColumns(defaultColumns(entity));
  }, [entity, columns.length]);
  const query = useMemo(
    () => (entity ? listQuery(entity, { columns, sort, filter, search, fuzzy }) : undefined),
    [entity, columns, sort, filter, search, fuzzy],
  );
  const queryKey = JSON.stringify(query);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the serialized query is the dependency
  useEffect(() => {
    if (!query) return;
    let live = true;
    const timer = setTimeout(async () => {
      setLoading(true);
      try {
        const page = await kehu.data(entityName).list(query);
        if (!live) return;
        setRows(page.data);
        setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        if (live) setError(e);
      } finally {
        if (live) setLoading(false);
      }
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [entityName, queryKey, reloads]);

  if (!entity) return <p className="muted">{loaded ? t("errors.notFound") : t("common.loading")}</p>;
  const shown = columns.map((c) => entity.fields.find((f) => f.name === c)).filter((f) => f !== undefined);

  const loadMore = async () => {
    if (!cursor || !query) return;
    try {
      const page = await kehu.data(entityName).list({ ...query, cursor });
      setRows((r) => [...r, ...page.data]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section>
      <div className="page-head">
        <h1>{entityLabel(entity, i18n.language)}</h1>
        <div className="spacer" />
        <button type="button" onClick={() => setImporting(true)} data-testid="import-open">
          {t("importer.open")}
        </button>
        <button type="button" className="primary" onClick={() => navigate("data", entityName, "new")}>
          {t("list.new")}
        </button>
      </div>
      <div className="toolbar">
        <input
          type="search"
          className="search"
          placeholder={t("list.search")}
          aria-label={t("list.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="inline">
          <input type="checkbox" checked={fuzzy} onChange={(e) => setFuzzy(e.target.checked)} />
          {t("list.fuzzy")}
        </label>
        <button type="button" onClick={() => setShowFilters((s) => !s)}>
          {t("list.filters")}
          {filter.rows.length ? ` (${filter.rows.length})` : ""}
        </button>
        <ColumnPicker fields={entity.fields} columns={columns} onChange={setColumns} />
        {query && <ExportMenu entity={entityName} query={{ ...query, fields: columns }} onError={setError} />}
        <SavedViews
          entity={entityName}
          current={{ columns, sort, filter, search, fuzzy }}
          onApply={(v) => {
            setColumns(v.columns);
            setSort(v.sort);
            setFilter(v.filter);
            setSearch(v.search);
            setFuzzy(v.fuzzy);
          }}
        />
      </div>
      {importing && (
        <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
          <ImportWizard
            entity={entity}
            onImported={() => setReloads((n) => n + 1)}
            onClose={() => setImporting(false)}
          />
        </Suspense>
      )}
      {showFilters && <FilterBuilder fields={entity.fields} state={filter} onChange={setFilter} />}
      <ErrorBanner error={error} />
      <table className="grid" data-testid="record-list">
        <thead>
          <tr>
            {shown.map((f) => (
              <th key={f.name}>
                {isSortable(f) ? (
                  <button type="button" className="link" onClick={() => setSort((s) => nextSort(s, f.name))}>
                    {fieldLabel(f, i18n.language)}
                    {sort === f.name ? " ▲" : sort === `-${f.name}` ? " ▼" : ""}
                  </button>
                ) : (
                  fieldLabel(f, i18n.language)
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              {shown.map((f, i) => (
                <td key={f.name}>
                  {i === 0 ? (
                    <a href={routeHref("data", entityName, r.id)}>
                      <CellValue field={f} value={r[f.name]} />
                    </a>
                  ) : (
                    <CellValue field={f} value={r[f.name]} />
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && rows.length === 0 && <p className="muted">{t("list.empty")}</p>}
      {cursor && (
        <button type="button" onClick={loadMore}>
          {t("list.loadMore")}
        </button>
      )}
    </section>
  );
}
