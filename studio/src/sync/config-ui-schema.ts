type Schema = Record<string, unknown>;

/**
 * The rjsf uiSchema of a connector's config spec: properties marked `x-secret` become password inputs (nested
 * objects too), so a secret typed in is never shown, and the API's mask (`********`) stays a mask; properties
 * marked `x-multiline` (a PEM certificate) become text areas, since an input would drop the line breaks.
 *
 * @example
 * configUiSchema({type: "object", properties: {password: {type: "string", "x-secret": true}}})
 * // {password: {"ui:widget": "password"}, "ui:submitButtonOptions": {norender: true}}
 */
export function configUiSchema(spec: Schema, root = true): Schema {
  const ui: Schema = root ? { "ui:submitButtonOptions": { norender: true } } : {};
  for (const [name, prop] of Object.entries((spec.properties ?? {}) as Record<string, Schema>)) {
    if (prop["x-secret"] === true)
      ui[name] = { "ui:widget": "password", "ui:options": { autocomplete: "new-password" } };
    else if (prop["x-multiline"] === true) ui[name] = { "ui:widget": "textarea", "ui:options": { rows: 6 } };
    else if (prop.type === "object") {
      const nested = configUiSchema(prop, false);
      if (Object.keys(nested).length) ui[name] = nested;
    }
  }
  return ui;
}
