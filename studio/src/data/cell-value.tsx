import type { FieldDefinition } from "@kehu/schema";
import { useTranslation } from "react-i18next";
import { enumOptions } from "../lib/labels";
import { useEntities } from "../shell/entities-context";

/** A field's value as one line of text in a list cell. */
export function CellValue({ field, value }: { field: FieldDefinition; value: unknown }) {
  const { t, i18n } = useTranslation();
  const { entities } = useEntities();
  if (value === null || value === undefined || value === "") return <span className="muted">—</span>;
  const labelOf = (v: string) => enumOptions(field, i18n.language).find((o) => o.value === v)?.label ?? v;
  switch (field.type) {
    case "boolean":
      return <>{value ? t("common.yes") : t("common.no")}</>;
    case "enum":
      return <>{labelOf(String(value))}</>;
    case "multienum":
      return <>{(value as string[]).map(labelOf).join(", ")}</>;
    case "money": {
      const m = value as { amount: string; currency: string };
      return (
        <span className="num">
          {m.amount} {m.currency}
        </span>
      );
    }
    case "datetime":
      return <>{new Date(String(value)).toLocaleString(i18n.language)}</>;
    case "reference": {
      if (typeof value === "string") return <code>{value.slice(0, 8)}</code>;
      const title = entities.find((e) => e.name === field.target)?.titleField;
      const ref = value as Record<string, unknown>;
      return <>{String((title && ref[title]) ?? ref.id)}</>;
    }
    case "integer":
    case "decimal":
    case "rollup":
      return <span className="num">{String(value)}</span>;
    default:
      return <>{typeof value === "object" ? JSON.stringify(value) : String(value)}</>;
  }
}
