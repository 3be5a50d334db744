import type { FieldDefinition } from "@kehu/schema";
import { useTranslation } from "react-i18next";
import { enumOptions, fieldLabel } from "../lib/labels";
import { type FilterRow, type FilterState, operatorsFor, takesList, valueKind } from "./filter-ast";

/** Rows of field / operator / value, joined by "all" or "any"; each row can be negated. */
export function FilterBuilder(props: {
  fields: FieldDefinition[];
  state: FilterState;
  onChange: (s: FilterState) => void;
}) {
  const { t, i18n } = useTranslation();
  const filterable = props.fields.filter((f) => operatorsFor(f).length > 0);
  const { rows } = props.state;
  const setRow = (i: number, row: FilterRow) =>
    props.onChange({ ...props.state, rows: rows.map((r, j) => (j === i ? row : r)) });
  const add = () => {
    const f = filterable[0];
    if (f) props.onChange({ ...props.state, rows: [...rows, { field: f.name, op: operatorsFor(f)[0], value: "" }] });
  };

  return (
    <div className="filter-builder" data-testid="filter-builder">
      {rows.length > 1 && (
        <label>
          {t("filter.match")}{" "}
          <select
            value={props.state.combinator}
            onChange={(e) => props.onChange({ ...props.state, combinator: e.target.value as "and" | "or" })}
          >
            <option value="and">{t("filter.all")}</option>
            <option value="or">{t("filter.any")}</option>
          </select>
        </label>
      )}
      {rows.map((row, i) => {
        const field = filterable.find((f) => f.name === row.field) ?? filterable[0];
        const ops = operatorsFor(field);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position
          <div className="filter-row" key={i}>
            <label className="inline">
              <input
                type="checkbox"
                checked={!!row.negate}
                onChange={(e) => setRow(i, { ...row, negate: e.target.checked })}
              />
              {t("filter.not")}
            </label>
            <select
              aria-label={t("filter.field")}
              value={row.field}
              onChange={(e) => {
                const next = filterable.find((f) => f.name === e.target.value)!;
                setRow(i, { field: next.name, op: operatorsFor(next)[0], value: "", negate: row.negate });
              }}
            >
              {filterable.map((f) => (
                <option key={f.name} value={f.name}>
                  {fieldLabel(f, i18n.language)}
                </option>
              ))}
            </select>
            <select
              aria-label={t("filter.operator")}
              value={row.op}
              onChange={(e) => setRow(i, { ...row, op: e.target.value as FilterRow["op"], values: undefined })}
            >
              {ops.map((op) => (
                <option key={op} value={op}>
                  {t(`filter.ops.${op}`)}
                </option>
              ))}
            </select>
            <ValueInput field={field} row={row} onChange={(r) => setRow(i, r)} />
            <button
              type="button"
              aria-label={t("filter.remove")}
              onClick={() => props.onChange({ ...props.state, rows: rows.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          </div>
        );
      })}
      <button type="button" onClick={add} disabled={!filterable.length}>
        {t("filter.add")}
      </button>
    </div>
  );
}

function ValueInput({
  field,
  row,
  onChange,
}: {
  field: FieldDefinition;
  row: FilterRow;
  onChange: (r: FilterRow) => void;
}) {
  const { t, i18n } = useTranslation();
  const kind = valueKind(field);
  if (row.op === "isNull")
    return (
      <select
        value={row.value === "false" ? "false" : "true"}
        onChange={(e) => onChange({ ...row, value: e.target.value })}
      >
        <option value="true">{t("filter.isEmpty")}</option>
        <option value="false">{t("filter.isNotEmpty")}</option>
      </select>
    );
  if (kind === "boolean")
    return (
      <select value={row.value} onChange={(e) => onChange({ ...row, value: e.target.value })}>
        <option value="">—</option>
        <option value="true">{t("common.yes")}</option>
        <option value="false">{t("common.no")}</option>
      </select>
    );
  if (kind === "enum" || kind === "multienum") {
    const options = enumOptions(field, i18n.language);
    if (takesList(field, row.op))
      return (
        <select
          multiple
          value={row.values ?? []}
          onChange={(e) => onChange({ ...row, values: [...e.target.selectedOptions].map((o) => o.value) })}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    return (
      <select value={row.value} onChange={(e) => onChange({ ...row, value: e.target.value })}>
        <option value="">—</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  const type = kind === "date" ? "date" : kind === "datetime" ? "datetime-local" : "text";
  const placeholder = takesList(field, row.op) ? t("filter.listHint") : "";
  return (
    <>
      <input
        aria-label={t("filter.value")}
        type={type}
        placeholder={placeholder}
        value={row.value}
        onChange={(e) => onChange({ ...row, value: e.target.value })}
      />
      {row.op === "between" && (
        <input
          aria-label={t("filter.value2")}
          type={type}
          value={row.value2 ?? ""}
          onChange={(e) => onChange({ ...row, value2: e.target.value })}
        />
      )}
    </>
  );
}
