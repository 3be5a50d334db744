import { KehuApiError, type KehuRecord } from "@kehu/client";
import type { Issue } from "@kehu/core";
import Form from "@rjsf/core";
import type { ErrorSchema, RegistryWidgetsType } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { applyFormLayout } from "../forms/apply-form-layout";
import { SectionsTemplate } from "../forms/sections-template";
import { useResolvedForm } from "../forms/use-resolved-form";
import { navigate, routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { AuditTab } from "./audit-tab";
import { formSchema } from "./form-schema";
import { issuesToErrorSchema } from "./problem-errors";
import { createBody, patchBody, toFormData } from "./record-body";
import { ReferenceWidget } from "./reference-widget";
import { RelatedLists } from "./related-lists";
import { SyncTab } from "./sync-tab";
import { WorkflowTab } from "./workflow-tab";

const WIDGETS: RegistryWidgetsType = { reference: ReferenceWidget };
// The id of the record just created, so its page (a new mount after navigating) says "Saved".
let justCreated: string | undefined;

/** One record (or a new one): the form from the entity's definition, its history and its related lists. */
export function RecordPage({ entityName, id, isAdmin }: { entityName: string; id?: string; isAdmin?: boolean }) {
  const { t, i18n } = useTranslation();
  const { entities, loaded } = useEntities();
  const entity = entities.find((e) => e.name === entityName);
  const [record, setRecord] = useState<KehuRecord | undefined>(undefined);
  const [form, setForm] = useState<Record<string, unknown>>({});
  const [fieldErrors, setFieldErrors] = useState<ErrorSchema | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [tab, setTab] = useState<"details" | "history" | "workflow" | "sync">("details");
  const [saved, setSaved] = useState(() => id !== undefined && id === justCreated);
  const layout = useResolvedForm(entityName);

  useEffect(() => {
    if (!id || !entity) return;
    kehu
      .data(entityName)
      .get(id)
      .then(
        (r) => {
          setRecord(r);
          setForm(toFormData(entity, r));
        },
        (e) => setError(e),
      );
  }, [entityName, id, entity]);

  const { schema, uiSchema } = useMemo(() => {
    if (!entity) return { schema: {}, uiSchema: {} };
    const words = { amount: t("form.amount"), currency: t("form.currency") };
    const base = formSchema(entity, i18n.language, words, !!id);
    // The caller's form definition, when there is one, lays the fields out (sections, order, visibility).
    return layout ? applyFormLayout(base, layout, form, i18n.language) : base;
  }, [entity, i18n.language, t, id, layout, form]);
  if (!entity) return <p className="muted">{loaded ? t("errors.notFound") : t("common.loading")}</p>;
  if (id && !record) return error ? <ErrorBanner error={error} /> : <p className="muted">{t("common.loading")}</p>;

  const save = async () => {
    setError(null);
    setFieldErrors(undefined);
    setSaved(false);
    try {
      const data = kehu.data(entityName);
      const result = record
        ? await data.update(record.id, patchBody(entity, toFormData(entity, record), form), record.version)
        : await data.create(createBody(entity, form));
      setSaved(true);
      if (!record) {
        justCreated = result.id;
        navigate("data", entityName, result.id);
      } else {
        setRecord(result);
        setForm(toFormData(entity, result));
      }
    } catch (e) {
      showProblem(e);
    }
  };
  const showProblem = (e: unknown) => {
    const issues: Issue[] = e instanceof KehuApiError ? e.issues : [];
    const { errorSchema, unplaced } = issuesToErrorSchema(issues, Object.keys(schema.properties ?? {}));
    setFieldErrors(Object.keys(errorSchema).length ? errorSchema : undefined);
    // The banner names the problem; issues already shown on their fields are not repeated there.
    setError(
      e instanceof KehuApiError && unplaced.length < issues.length
        ? new KehuApiError({ ...e.problem, errors: unplaced })
        : e,
    );
  };
  const remove = async () => {
    if (!record || !window.confirm(t("record.confirmDelete"))) return;
    try {
      await kehu.data(entityName).remove(record.id, record.version);
      navigate("data", entityName);
    } catch (e) {
      setError(e);
    }
  };
  const title = record
    ? String((entity.titleField && record[entity.titleField]) ?? record.id)
    : t("record.new", { entity: entityLabel(entity, i18n.language) });

  return (
    <section>
      <div className="page-head">
        <a href={routeHref("data", entityName)}>{entityLabel(entity, i18n.language)}</a>
        <span className="muted">/</span>
        <h1>{title}</h1>
        {record && (
          <a
            style={{ marginLeft: "auto" }}
            href={routeHref("print", entityName, record.id)}
            target="_blank"
            rel="noreferrer"
          >
            {t("print.action")}
          </a>
        )}
      </div>
      {record && (
        <div className="tabs" role="tablist">
          <button type="button" className={tab === "details" ? "active" : ""} onClick={() => setTab("details")}>
            {t("record.details")}
          </button>
          <button type="button" className={tab === "history" ? "active" : ""} onClick={() => setTab("history")}>
            {t("record.history")}
          </button>
          <button type="button" className={tab === "workflow" ? "active" : ""} onClick={() => setTab("workflow")}>
            {t("record.workflow")}
          </button>
          {isAdmin && (
            <button type="button" className={tab === "sync" ? "active" : ""} onClick={() => setTab("sync")}>
              {t("record.sync")}
            </button>
          )}
        </div>
      )}
      {tab === "history" && record ? (
        <AuditTab entityName={entityName} id={record.id} key={record.version} />
      ) : tab === "workflow" && record ? (
        <WorkflowTab entityName={entityName} id={record.id} key={record.version} />
      ) : tab === "sync" && record && isAdmin ? (
        <SyncTab entityName={entityName} id={record.id} key={record.version} />
      ) : (
        <>
          <ErrorBanner error={error} />
          {saved && (
            <div className="notice" role="status">
              {t("record.saved")}
            </div>
          )}
          <Form
            schema={schema}
            uiSchema={uiSchema}
            formData={form}
            validator={validator}
            widgets={WIDGETS}
            templates={{ ObjectFieldTemplate: SectionsTemplate }}
            noValidate
            noHtml5Validate
            showErrorList={false}
            extraErrors={fieldErrors}
            onChange={(e) => {
              setForm(e.formData ?? {});
              setSaved(false);
            }}
            onSubmit={save}
          >
            <div className="form-actions">
              <button type="submit" className="primary">
                {t("record.save")}
              </button>
              {record && (
                <button type="button" className="danger" onClick={remove}>
                  {t("record.delete")}
                </button>
              )}
            </div>
          </Form>
          {record && <RelatedLists entityName={entityName} id={record.id} />}
        </>
      )}
    </section>
  );
}
