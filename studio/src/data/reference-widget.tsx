import type { KehuRecord } from "@kehu/client";
import type { WidgetProps } from "@rjsf/utils";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { useEntities } from "../shell/entities-context";

/** Picks a record of the reference's target entity by its title (the first 200, narrowed by typing). */
export function ReferenceWidget(props: WidgetProps) {
  const { t } = useTranslation();
  const target = String(props.options.target ?? "");
  const title = useEntities().entities.find((e) => e.name === target)?.titleField;
  const [query, setQuery] = useState("");
  const [options, setOptions] = useState<KehuRecord[]>([]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      kehu
        .data(target)
        .list({ search: query || undefined, limit: 200 })
        .then((page) => live && setOptions(page.data))
        .catch(() => live && setOptions([]));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [target, query]);
  const name = (r: KehuRecord) => String((title && r[title]) ?? r.id);
  const value = typeof props.value === "string" ? props.value : "";
  return (
    <span className="reference-widget">
      <input
        type="search"
        placeholder={t("form.findRecord")}
        aria-label={t("form.findRecord")}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        disabled={props.disabled || props.readonly}
      />
      <select
        id={props.id}
        value={value}
        disabled={props.disabled || props.readonly}
        onChange={(e) => props.onChange(e.target.value || undefined)}
      >
        <option value="">—</option>
        {value && !options.some((o) => o.id === value) && <option value={value}>{value.slice(0, 8)}</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {name(o)}
          </option>
        ))}
      </select>
    </span>
  );
}
