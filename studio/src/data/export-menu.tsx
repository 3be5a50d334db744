import { type ListQuery, listQueryString } from "@kehu/client";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";

/** Downloads the records the list shows (same filter, search, sort and columns) as CSV or Excel. */
export function ExportMenu(props: { entity: string; query: ListQuery; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const download = async (format: "csv" | "xlsx") => {
    const { limit: _limit, cursor: _cursor, expand: _expand, ...query } = props.query;
    const qs = listQueryString(query);
    const path = `/api/data/${encodeURIComponent(props.entity)}/export${qs}${qs ? "&" : "?"}format=${format}`;
    try {
      const { blob, fileName } = await kehu.download(path);
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName ?? `${props.entity}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      props.onError(e);
    }
  };
  return (
    <details className="dropdown">
      <summary>{t("list.export")}</summary>
      <div className="dropdown-body">
        <button type="button" onClick={() => download("csv")}>
          {t("list.exportCsv")}
        </button>
        <button type="button" onClick={() => download("xlsx")}>
          {t("list.exportXlsx")}
        </button>
      </div>
    </details>
  );
}
