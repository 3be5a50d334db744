import { getDefaultRegistry } from "@rjsf/core";
import type { ObjectFieldTemplateProps } from "@rjsf/utils";
import type { LaidOutSection } from "./apply-form-layout";

const DefaultTemplate = getDefaultRegistry().templates.ObjectFieldTemplate;

/** Lays the record's fields out in the form definition's sections and columns; rjsf's own layout otherwise. */
export function SectionsTemplate(props: ObjectFieldTemplateProps) {
  const sections = (props.uiSchema?.["ui:options"] as { sections?: LaidOutSection[] } | undefined)?.sections;
  if (!sections || props.fieldPathId.path.length > 0) return <DefaultTemplate {...props} />;
  const byName = new Map(props.properties.map((p) => [p.name, p.content]));
  return (
    <div className="form-sections">
      {sections.map((s) => (
        <fieldset key={s.fields[0]} className="form-section" data-section={s.title}>
          <legend>{s.title}</legend>
          <div className={`form-columns cols-${s.columns}`}>{s.fields.map((f) => byName.get(f))}</div>
        </fieldset>
      ))}
    </div>
  );
}
