import { KehuApiError } from "@kehu/client";
import type { Issue } from "@kehu/core";
import type { FormDefinition } from "@kehu/schema";
import Form from "@rjsf/core";
import validator from "@rjsf/validator-ajv8";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { formSchema } from "../data/form-schema";
import { kehu } from "../lib/kehu";
import { entityLabel, fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { applyFormLayout } from "./apply-form-layout";
import {
  addSection,
  initialForm,
  issuesByRow,
  moveField,
  placeField,
  removeField,
  removeSection,
  type Slot,
  stepField,
  unplacedFields,
  updateField,
  updateSection,
} from "./designer-state";
import { FormFieldRow } from "./form-field-row";
import { SectionsTemplate } from "./sections-template";

/** The form designer of one entity and role, with a live preview rendered as the record page renders it. */
export function FormDesignerPage({ entityName }: { entityName: string }) {
  const { t, i18n } = useTranslation();
  const entity = useEntities().entities.find((e) => e.name === entityName);
  const [stored, setStored] = useState<FormDefinition[]>([]);
  const [roles, setRoles] = useState<string[]>([]);
  const [role, setRole] = useState<string | null>(null);
  const [form, setForm] = useState<FormDefinition | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [dragged, setDragged] = useState<Slot | null>(null);
  const [preview, setPreview] = useState<Record<string, unknown>>({});

  useEffect(() => {
    kehu
      .request<{ data: Array<{ definition: FormDefinition }> }>(
        "GET",
        `/api/meta/forms?entity=${encodeURIComponent(entityName)}`,
      )
      .then((r) => setStored(r.data.map((f) => f.definition)), setError);
    kehu
      .request<{ data: Array<{ name: string }> }>("GET", "/api/admin/roles")
      .then((r) => setRoles(r.data.map((x) => x.name)), setError);
  }, [entityName]);
  useEffect(() => {
    if (!entity) return;
    setForm(stored.find((f) => (f.role ?? null) === role) ?? initialForm(entity, role));
    setIssues([]);
  }, [entity, stored, role]);

  const rows = useMemo(() => issuesByRow(issues), [issues]);
  const previewSchema = useMemo(() => {
    if (!entity || !form) return undefined;
    const base = formSchema(entity, i18n.language, { amount: t("form.amount"), currency: t("form.currency") }, false);
    return applyFormLayout(base, form, preview, i18n.language);
  }, [entity, form, preview, i18n.language, t]);
  if (!entity || !form || !previewSchema) return <p className="muted">{t("common.loading")}</p>;

  const change = (next: FormDefinition) => {
    setForm(next);
    setSaved(false);
  };
  const save = async () => {
    setError(null);
    setIssues([]);
    try {
      await kehu.request(
        "PUT",
        `/api/meta/forms/${encodeURIComponent(entityName)}/${encodeURIComponent(form.name)}`,
        form,
      );
      setStored([...stored.filter((f) => f.name !== form.name), form]);
      setSaved(true);
    } catch (e) {
      setIssues(e instanceof KehuApiError ? e.issues : []);
      setError(e);
    }
  };
  const unplaced = unplacedFields(form, entity);

  return (
    <section className="form-designer">
      <div className="page-head">
        <h1>{t("forms.title", { entity: entityLabel(entity, i18n.language) })}</h1>
        <div className="spacer" />
        <label>
          {t("forms.role")}
          <select value={role ?? ""} onChange={(e) => setRole(e.target.value || null)} data-testid="form-role">
            <option value="">{t("forms.defaultRole")}</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={save}>
          {t("forms.save")}
        </button>
      </div>
      <ErrorBanner error={error} />
      {rows.get("")?.map((m) => (
        <p key={m} className="field-error" role="alert">
          {m}
        </p>
      ))}
      {saved && (
        <div className="notice" role="status">
          {t("forms.saved")}
        </div>
      )}
      <div className="form-designer-body">
        <div>
          {form.sections.map((section, s) => (
            <fieldset
              // biome-ignore lint/suspicious/noArrayIndexKey: a section has no id; its place is its identity
              key={s}
              className="form-section"
              data-testid={`section-${s}`}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                if (dragged) change(moveField(form, dragged, { section: s, index: section.fields.length }));
                setDragged(null);
              }}
            >
              <legend>
                <input
                  aria-label={t("forms.sectionTitleEn")}
                  value={section.title.en ?? ""}
                  onChange={(e) => change(updateSection(form, s, { title: { ...section.title, en: e.target.value } }))}
                />
                <input
                  aria-label={t("forms.sectionTitleZh")}
                  value={section.title.zh ?? ""}
                  onChange={(e) => change(updateSection(form, s, { title: { ...section.title, zh: e.target.value } }))}
                />
                <select
                  aria-label={t("forms.columns")}
                  value={section.columns}
                  onChange={(e) => change(updateSection(form, s, { columns: Number(e.target.value) as 1 | 2 | 3 }))}
                >
                  {[1, 2, 3].map((n) => (
                    <option key={n} value={n}>
                      {t("forms.columnCount", { count: n })}
                    </option>
                  ))}
                </select>
                <button type="button" className="danger" onClick={() => change(removeSection(form, s))}>
                  {t("forms.removeSection")}
                </button>
              </legend>
              {rows.get(String(s))?.map((m) => (
                <p key={m} className="field-error" role="alert">
                  {m}
                </p>
              ))}
              <ul className="form-field-list">
                {section.fields.map((item, i) => (
                  <FormFieldRow
                    key={item.field}
                    entity={entity}
                    item={item}
                    errors={rows.get(`${s}/${i}`)}
                    onChange={(patch) => change(updateField(form, { section: s, index: i }, patch))}
                    onMove={(delta) => change(stepField(form, { section: s, index: i }, delta))}
                    onRemove={() => change(removeField(form, { section: s, index: i }))}
                    onDragStart={() => setDragged({ section: s, index: i })}
                    onDrop={() => {
                      if (dragged) change(moveField(form, dragged, { section: s, index: i }));
                      setDragged(null);
                    }}
                  />
                ))}
              </ul>
            </fieldset>
          ))}
          <button type="button" onClick={() => change(addSection(form, { en: t("forms.newSection"), zh: "新分组" }))}>
            {t("forms.addSection")}
          </button>
          {unplaced.length > 0 && (
            <div className="unplaced">
              <h3>{t("forms.unplaced")}</h3>
              {unplaced.map((name) => {
                const field = entity.fields.find((f) => f.name === name);
                return (
                  <button
                    key={name}
                    type="button"
                    onClick={() => change(placeField(form, name, Math.max(0, form.sections.length - 1)))}
                    disabled={form.sections.length === 0}
                  >
                    + {field ? fieldLabel(field, i18n.language) : name}
                  </button>
                );
              })}
            </div>
          )}
        </div>
        <div className="form-preview" data-testid="form-preview">
          <h2>{t("forms.preview")}</h2>
          <Form
            schema={previewSchema.schema}
            uiSchema={previewSchema.uiSchema}
            formData={preview}
            validator={validator}
            templates={{ ObjectFieldTemplate: SectionsTemplate }}
            onChange={(e) => setPreview(e.formData ?? {})}
            showErrorList={false}
          >
            <div />
          </Form>
        </div>
      </div>
    </section>
  );
}
