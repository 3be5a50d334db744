import type { EnumValue } from "@kehu/schema";
import { useTranslation } from "react-i18next";

type Row = { value: string; en: string; zh: string };

const toRows = (values: EnumValue[] | undefined): Row[] =>
  (values ?? []).map((v) =>
    typeof v === "string"
      ? { value: v, en: "", zh: "" }
      : { value: v.value, en: v.label?.en ?? "", zh: (v.label as { zh?: string } | undefined)?.zh ?? "" },
  );

const toValues = (rows: Row[]): EnumValue[] =>
  rows.map((r) => {
    const label = Object.fromEntries(Object.entries({ en: r.en, zh: r.zh }).filter(([, v]) => v));
    return Object.keys(label).length ? { value: r.value, label } : r.value;
  });

/** The values of an enum field, each with its English and Chinese label. */
export function EnumValuesEditor(props: { values: EnumValue[] | undefined; onChange: (v: EnumValue[]) => void }) {
  const { t } = useTranslation();
  const rows = toRows(props.values);
  const set = (i: number, patch: Partial<Row>) =>
    props.onChange(toValues(rows.map((r, j) => (j === i ? { ...r, ...patch } : r))));
  return (
    <fieldset className="enum-values">
      <legend>{t("designer.values")}</legend>
      <table>
        <thead>
          <tr>
            <th>{t("designer.value")}</th>
            <th>{t("designer.labelEn")}</th>
            <th>{t("designer.labelZh")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a value row is its position while being typed
            <tr key={i}>
              <td>
                <input
                  aria-label={t("designer.value")}
                  value={r.value}
                  onChange={(e) => set(i, { value: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={t("designer.labelEn")}
                  value={r.en}
                  onChange={(e) => set(i, { en: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={t("designer.labelZh")}
                  value={r.zh}
                  onChange={(e) => set(i, { zh: e.target.value })}
                />
              </td>
              <td>
                <button
                  type="button"
                  aria-label={t("designer.removeValue")}
                  onClick={() => props.onChange(toValues(rows.filter((_, j) => j !== i)))}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => props.onChange(toValues([...rows, { value: "", en: "", zh: "" }]))}>
        {t("designer.addValue")}
      </button>
    </fieldset>
  );
}
