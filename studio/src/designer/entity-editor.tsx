import { KehuApiError, type MigrationPlanView } from "@kehu/client";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { FieldEditor } from "./field-editor";
import { cleanField } from "./field-options";
import { SelectInput, TextInput } from "./option-inputs";
import { PlanPreview } from "./plan-preview";

/** The entity as the API should get it: every field cleaned of options its type does not take. */
export function cleanEntity(draft: EntityDefinition): EntityDefinition {
  const label = Object.fromEntries(Object.entries(draft.label ?? {}).filter(([, v]) => v));
  const out: EntityDefinition = { ...draft, fields: draft.fields.map(cleanField) };
  if (Object.keys(label).length) out.label = label as EntityDefinition["label"];
  else delete out.label;
  if (!out.titleField) delete out.titleField;
  return out;
}

/** Edits an entity's definition; "Preview" asks the server for the plan, which must be seen before "Apply". */
export function EntityEditor(props: { initial: EntityDefinition; isNew: boolean; onApplied: (name: string) => void }) {
  const { t, i18n } = useTranslation();
  const { entities, refresh } = useEntities();
  const [draft, setDraft] = useState<EntityDefinition>(props.initial);
  const [open, setOpen] = useState<number | null>(null);
  const [plan, setPlan] = useState<MigrationPlanView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const change = (next: EntityDefinition) => {
    setDraft(next);
    setPlan(null);
  };
  const setField = (i: number, f: FieldDefinition) =>
    change({ ...draft, fields: draft.fields.map((x, j) => (j === i ? f : x)) });
  const addField = () => {
    change({ ...draft, fields: [...draft.fields, { name: "", type: "text" }] });
    setOpen(draft.fields.length);
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const preview = () =>
    run(async () => {
      setPlan((await kehu.entities.preview(cleanEntity(draft), props.isNew)).plan);
    });
  const apply = (confirm: boolean) =>
    run(async () => {
      await kehu.entities.apply(cleanEntity(draft), props.isNew, { confirm });
      setPlan(null);
      await refresh();
      props.onApplied(draft.name);
    });
  const fieldIssues = issuesByField(error);
  const label = (draft.label ?? {}) as { en?: string; zh?: string };
  const textFields = draft.fields.filter((f) => f.name && ["text", "autonumber", "email", "phone"].includes(f.type));

  return (
    <div className="entity-editor">
      <div className="grid-2">
        {props.isNew && (
          <TextInput
            label={t("designer.entityName")}
            name="entity-name"
            value={draft.name}
            onChange={(v) => change({ ...draft, name: v })}
          />
        )}
        <TextInput
          label={t("designer.labelEn")}
          name="entity-label-en"
          value={label.en}
          onChange={(v) => change({ ...draft, label: { ...label, en: v } } as EntityDefinition)}
        />
        <TextInput
          label={t("designer.labelZh")}
          name="entity-label-zh"
          value={label.zh}
          onChange={(v) => change({ ...draft, label: { ...label, zh: v } } as EntityDefinition)}
        />
        <SelectInput
          label={t("designer.titleField")}
          name="entity-title"
          value={draft.titleField}
          options={textFields.map((f) => ({ value: f.name, label: fieldLabel(f, i18n.language) }))}
          onChange={(v) => change({ ...draft, titleField: v || undefined })}
        />
        <SelectInput
          label={t("designer.ownership")}
          name="entity-ownership"
          value={draft.ownership}
          options={["user", "department", "none"].map((v) => ({
            value: v,
            label: t(`designer.ownershipOptions.${v}`),
          }))}
          onChange={(v) => change({ ...draft, ownership: (v || undefined) as EntityDefinition["ownership"] })}
        />
      </div>
      <h3>{t("designer.fields")}</h3>
      <table className="grid fields" data-testid="field-list">
        <thead>
          <tr>
            <th>{t("designer.fieldName")}</th>
            <th>{t("designer.label")}</th>
            <th>{t("designer.type")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {draft.fields.map((f, i) => (
            <FieldRow
              key={f.id ?? `new-${i}`}
              field={f}
              open={open === i}
              issues={fieldIssues.get(i) ?? []}
              onToggle={() => setOpen(open === i ? null : i)}
              onRemove={() => change({ ...draft, fields: draft.fields.filter((_, j) => j !== i) })}
            >
              <FieldEditor field={f} entity={draft} entities={entities} onChange={(next) => setField(i, next)} />
            </FieldRow>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" onClick={addField}>
          {t("designer.addField")}
        </button>
        <button type="button" className="primary" onClick={preview} disabled={busy}>
          {t("designer.preview")}
        </button>
      </div>
      <ErrorBanner error={error} />
      {plan && <PlanPreview plan={plan} busy={busy} onApply={apply} />}
    </div>
  );
}

function FieldRow(props: {
  field: FieldDefinition;
  open: boolean;
  onToggle: () => void;
  onRemove: () => void;
  issues: string[];
  children: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <tr>
        <td>
          <code>{props.field.name || "…"}</code>
        </td>
        <td>
          {fieldLabel(props.field, i18n.language)}
          {props.issues.map((m) => (
            <div key={m} className="field-issue">
              {m}
            </div>
          ))}
        </td>
        <td>{t(`types.${props.field.type}`)}</td>
        <td className="actions">
          <button type="button" onClick={props.onToggle}>
            {props.open ? t("designer.close") : t("designer.edit")}
          </button>
          <button type="button" className="danger" onClick={props.onRemove}>
            {t("designer.remove")}
          </button>
        </td>
      </tr>
      {props.open && (
        <tr>
          <td colSpan={4}>{props.children}</td>
        </tr>
      )}
    </>
  );
}

/** The server's issues on fields (`/fields/3/name`), by field index, each with the option it names. */
function issuesByField(error: unknown): Map<number, string[]> {
  const byField = new Map<number, string[]>();
  if (!(error instanceof KehuApiError)) return byField;
  for (const issue of error.issues) {
    const m = /^\/fields\/(\d+)(?:\/(.+))?$/.exec(issue.path);
    if (!m) continue;
    const index = Number(m[1]);
    byField.set(index, [...(byField.get(index) ?? []), m[2] ? `${m[2]}: ${issue.message}` : issue.message]);
  }
  return byField;
}
