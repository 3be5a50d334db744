import type { FieldDefinition } from "@kehu/schema";
import { useTranslation } from "react-i18next";
import { fieldLabel } from "../lib/labels";

/** A drop-down of checkboxes choosing the list's columns (in field order). */
export function ColumnPicker(props: { fields: FieldDefinition[]; columns: string[]; onChange: (c: string[]) => void }) {
  const { t, i18n } = useTranslation();
  const toggle = (name: string, on: boolean) => {
    const chosen = new Set(props.columns);
    if (on) chosen.add(name);
    else chosen.delete(name);
    props.onChange(props.fields.map((f) => f.name).filter((n) => chosen.has(n)));
  };
  return (
    <details className="dropdown">
      <summary>{t("list.columns")}</summary>
      <div className="dropdown-body">
        {props.fields.map((f) => (
          <label key={f.name} className="inline">
            <input
              type="checkbox"
              checked={props.columns.includes(f.name)}
              onChange={(e) => toggle(f.name, e.target.checked)}
            />
            {fieldLabel(f, i18n.language)}
          </label>
        ))}
      </div>
    </details>
  );
}
