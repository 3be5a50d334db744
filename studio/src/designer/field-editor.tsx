import type { EntityDefinition, FieldDefinition, FieldType } from "@kehu/schema";
import { FORMULA_RESULT_TYPES, ROLLUP_FUNCTIONS } from "@kehu/schema";
import { useTranslation } from "react-i18next";
import { entityLabel } from "../lib/labels";
import { EnumValuesEditor } from "./enum-values-editor";
import { FIELD_TYPES, type FieldOption, hasOption, typedDefault } from "./field-options";
import { CheckInput, NumberInput, SelectInput, TextInput } from "./option-inputs";

/** Every option of one field, those of its type only. */
export function FieldEditor(props: {
  field: FieldDefinition;
  entity: EntityDefinition;
  entities: EntityDefinition[];
  onChange: (f: FieldDefinition) => void;
}) {
  const { t, i18n } = useTranslation();
  const { field } = props;
  const set = (patch: Partial<FieldDefinition>) => props.onChange({ ...field, ...patch } as FieldDefinition);
  const has = (o: FieldOption) => hasOption(field.type, o);
  const label = (field.label ?? {}) as { en?: string; zh?: string };
  const entityOptions = props.entities.map((e) => ({ value: e.name, label: entityLabel(e, i18n.language) }));
  const child = props.entities.find((e) => e.name === field.child);
  const childRefs = (child?.fields ?? [])
    .filter((f) => f.type === "reference" && f.target === props.entity.name)
    .map((f) => ({ value: f.name, label: f.name }));
  const childNumbers = (child?.fields ?? [])
    .filter((f) => ["integer", "decimal", "money", "date", "datetime"].includes(f.type))
    .map((f) => ({ value: f.name, label: f.name }));
  const num = (key: "min" | "max" | "precision" | "scale") => (
    <NumberInput
      label={t(`designer.${key}`)}
      name={`field-${key}`}
      value={field[key]}
      onChange={(v) => set({ [key]: v })}
    />
  );

  return (
    <div className="field-editor" data-testid="field-editor">
      <div className="grid-2">
        <TextInput
          label={t("designer.fieldName")}
          name="field-name"
          value={field.name}
          onChange={(v) => set({ name: v })}
        />
        <SelectInput
          label={t("designer.type")}
          name="field-type"
          value={field.type}
          options={FIELD_TYPES.map((ty) => ({ value: ty, label: t(`types.${ty}`) }))}
          onChange={(v) => set({ type: (v || "text") as FieldType })}
        />
        <TextInput
          label={t("designer.labelEn")}
          name="label-en"
          value={label.en}
          onChange={(v) => set({ label: { ...label, en: v } })}
        />
        <TextInput
          label={t("designer.labelZh")}
          name="label-zh"
          value={label.zh}
          onChange={(v) => set({ label: { ...label, zh: v } } as Partial<FieldDefinition>)}
        />
      </div>
      <div className="flags">
        {has("required") && (
          <CheckInput
            label={t("designer.required")}
            name="field-required"
            value={field.required}
            onChange={(v) => set({ required: v })}
          />
        )}
        {has("unique") && (
          <CheckInput
            label={t("designer.unique")}
            name="field-unique"
            value={field.unique}
            onChange={(v) => set({ unique: v })}
          />
        )}
        {has("indexed") && (
          <CheckInput
            label={t("designer.indexed")}
            name="field-indexed"
            value={field.indexed}
            onChange={(v) => set({ indexed: v })}
          />
        )}
        {has("searchable") && (
          <CheckInput
            label={t("designer.searchable")}
            name="field-searchable"
            value={field.searchable}
            onChange={(v) => set({ searchable: v })}
          />
        )}
      </div>
      <div className="grid-2">
        {has("min") && num("min")}
        {has("max") && num("max")}
        {has("precision") && num("precision")}
        {has("scale") && num("scale")}
        {has("pattern") && (
          <TextInput
            label={t("designer.pattern")}
            name="field-pattern"
            value={field.pattern}
            onChange={(v) => set({ pattern: v })}
          />
        )}
        {has("default") && (
          <TextInput
            label={t("designer.default")}
            name="field-default"
            value={field.default === undefined ? "" : String(field.default)}
            onChange={(v) => set({ default: typedDefault(field.type, v) })}
          />
        )}
        {has("currencies") && (
          <TextInput
            label={t("designer.currencies")}
            name="field-currencies"
            value={(field.currencies ?? []).join(",")}
            onChange={(v) => set({ currencies: v ? v.split(",").map((s) => s.trim().toUpperCase()) : undefined })}
          />
        )}
        {has("target") && (
          <SelectInput
            label={t("designer.target")}
            name="field-target"
            value={field.target}
            options={entityOptions}
            onChange={(v) => set({ target: v || undefined })}
          />
        )}
        {has("onDelete") && (
          <SelectInput
            label={t("designer.onDelete")}
            name="field-onDelete"
            value={field.onDelete}
            options={["restrict", "setNull", "cascade"].map((v) => ({
              value: v,
              label: t(`designer.onDeleteOptions.${v}`),
            }))}
            onChange={(v) => set({ onDelete: (v || undefined) as FieldDefinition["onDelete"] })}
          />
        )}
        {has("expression") && (
          <TextInput
            label={t("designer.expression")}
            name="field-expression"
            value={field.expression}
            onChange={(v) => set({ expression: v })}
          />
        )}
        {has("resultType") && (
          <SelectInput
            label={t("designer.resultType")}
            name="field-resultType"
            value={field.resultType}
            options={FORMULA_RESULT_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))}
            onChange={(v) => set({ resultType: (v || undefined) as FieldDefinition["resultType"] })}
          />
        )}
        {has("rollup") && (
          <>
            <SelectInput
              label={t("designer.child")}
              name="field-child"
              value={field.child}
              options={entityOptions}
              onChange={(v) => set({ child: v || undefined })}
            />
            <SelectInput
              label={t("designer.via")}
              name="field-via"
              value={field.via}
              options={childRefs}
              onChange={(v) => set({ via: v || undefined })}
            />
            <SelectInput
              label={t("designer.function")}
              name="field-function"
              value={field.function}
              options={ROLLUP_FUNCTIONS.map((v) => ({ value: v, label: t(`designer.functions.${v}`) }))}
              onChange={(v) => set({ function: (v || undefined) as FieldDefinition["function"] })}
            />
            <SelectInput
              label={t("designer.rollupField")}
              name="field-field"
              value={field.field}
              options={childNumbers}
              onChange={(v) => set({ field: v || undefined })}
            />
          </>
        )}
      </div>
      {has("values") && <EnumValuesEditor values={field.values} onChange={(values) => set({ values })} />}
    </div>
  );
}
