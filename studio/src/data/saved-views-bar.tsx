import { useState } from "react";
import { useTranslation } from "react-i18next";
import { deleteView, loadViews, type SavedView, saveView } from "./saved-views";

/** Choose, save and delete named views of a list. */
export function SavedViews(props: {
  entity: string;
  current: Omit<SavedView, "name">;
  onApply: (v: SavedView) => void;
}) {
  const { t } = useTranslation();
  const [views, setViews] = useState(() => loadViews(props.entity));
  const [chosen, setChosen] = useState("");
  const save = () => {
    const name = window.prompt(t("views.namePrompt"), chosen || "");
    if (!name?.trim()) return;
    setViews(saveView(props.entity, { ...props.current, name: name.trim() }));
    setChosen(name.trim());
  };
  return (
    <span className="saved-views">
      <select
        aria-label={t("views.label")}
        value={chosen}
        onChange={(e) => {
          setChosen(e.target.value);
          const view = views.find((v) => v.name === e.target.value);
          if (view) props.onApply(view);
        }}
      >
        <option value="">{t("views.none")}</option>
        {views.map((v) => (
          <option key={v.name} value={v.name}>
            {v.name}
          </option>
        ))}
      </select>
      <button type="button" onClick={save}>
        {t("views.save")}
      </button>
      {chosen && (
        <button
          type="button"
          onClick={() => {
            setViews(deleteView(props.entity, chosen));
            setChosen("");
          }}
        >
          {t("views.delete")}
        </button>
      )}
    </span>
  );
}
