import type { EntityDefinition, FormField } from "@kehu/schema";
import { WIDGETS_BY_TYPE } from "@kehu/schema";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { EMPTY_FILTER, type FilterState, toFilterAst } from "../data/filter-ast";
import { FilterBuilder } from "../data/filter-builder";
import { fieldLabel } from "../lib/labels";

/** One field of a section in the designer: drag handle, keyboard moves, widget, help, rule, read-only, required. */
export function FormFieldRow(props: {
  entity: EntityDefinition;
  item: FormField;
  errors?: string[];
  onChange: (patch: Partial<FormField>) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  onDragStart: () => void;
  onDrop: () => void;
}) {
  const { t, i18n } = useTranslation();
  const field = props.entity.fields.find((f) => f.name === props.item.field);
  const [rule, setRule] = useState<FilterState | null>(null);
  const widgets: readonly string[] = field ? WIDGETS_BY_TYPE[field.type] : [];
  const setRuleState = (s: FilterState) => {
    setRule(s);
    props.onChange({ visibleWhen: toFilterAst(props.entity.fields, s) });
  };
  return (
    <li
      className={`form-field-row${props.errors ? " has-error" : ""}`}
      data-field={props.item.field}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData("text/plain", props.item.field);
        props.onDragStart();
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        props.onDrop();
      }}
    >
      <span className="drag-handle" aria-hidden="true">
        ⠿
      </span>
      <strong>{field ? fieldLabel(field, i18n.language) : props.item.field}</strong>
      <button type="button" onClick={() => props.onMove(-1)} aria-label={t("forms.moveUp")}>
        ↑
      </button>
      <button type="button" onClick={() => props.onMove(1)} aria-label={t("forms.moveDown")}>
        ↓
      </button>
      <label>
        {t("forms.widget")}
        <select
          value={props.item.widget ?? ""}
          onChange={(e) => props.onChange({ widget: e.target.value || undefined })}
        >
          <option value="">{t("forms.defaultWidget")}</option>
          {widgets.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("forms.help")}
        <input
          value={props.item.help?.en ?? ""}
          placeholder="en"
          onChange={(e) => props.onChange({ help: helpOf(e.target.value, props.item.help?.zh) })}
        />
        <input
          value={props.item.help?.zh ?? ""}
          placeholder="zh"
          onChange={(e) => props.onChange({ help: helpOf(props.item.help?.en, e.target.value) })}
        />
      </label>
      <label>
        <input
          type="checkbox"
          checked={props.item.readOnly ?? false}
          onChange={(e) => props.onChange({ readOnly: e.target.checked })}
        />
        {t("forms.readOnly")}
      </label>
      <label>
        <input
          type="checkbox"
          checked={props.item.required ?? false}
          onChange={(e) => props.onChange({ required: e.target.checked })}
        />
        {t("forms.required")}
      </label>
      <button type="button" className="danger" onClick={props.onRemove}>
        {t("forms.removeField")}
      </button>
      <details>
        <summary>{props.item.visibleWhen ? t("forms.visibleWhenSet") : t("forms.visibleAlways")}</summary>
        {rule || !props.item.visibleWhen ? (
          <FilterBuilder fields={props.entity.fields} state={rule ?? EMPTY_FILTER} onChange={setRuleState} />
        ) : (
          <>
            <code>{JSON.stringify(props.item.visibleWhen)}</code>
            <button type="button" onClick={() => setRuleState(EMPTY_FILTER)}>
              {t("forms.replaceRule")}
            </button>
          </>
        )}
      </details>
      {props.errors?.map((m) => (
        <p key={m} className="field-error" role="alert">
          {m}
        </p>
      ))}
    </li>
  );
}

function helpOf(en: string | undefined, zh: string | undefined): FormField["help"] {
  const help = { ...(en ? { en } : {}), ...(zh ? { zh } : {}) };
  return Object.keys(help).length ? help : undefined;
}
