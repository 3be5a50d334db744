import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import { enumOptions, fieldLabel, labelText } from "../lib/labels";

const COMPUTED = new Set(["formula", "rollup", "autonumber"]);

/** Fields a user types into: not computed, not json (edited elsewhere). */
export function editableFields(entity: EntityDefinition): FieldDefinition[] {
  return entity.fields.filter((f) => !COMPUTED.has(f.type) && f.type !== "json");
}

/**
 * The rjsf form of an entity, labelled in the UI language. Validation is the server's (the form sends as typed and
 * shows the server's errors on their fields), so the schema only shapes the inputs. Computed fields show read-only
 * when a record exists.
 */
export function formSchema(
  entity: EntityDefinition,
  language: string,
  words: { amount: string; currency: string },
  existing: boolean,
): { schema: RJSFSchema; uiSchema: UiSchema } {
  const properties: Record<string, RJSFSchema> = {};
  const uiSchema: UiSchema = { "ui:submitButtonOptions": { norender: true } };
  const required: string[] = [];
  const order: string[] = [];
  for (const field of entity.fields) {
    if (field.type === "json" || (COMPUTED.has(field.type) && !existing)) continue;
    properties[field.name] = { title: fieldLabel(field, language), ...valueSchema(field, words) };
    uiSchema[field.name] = uiOf(field, language);
    if (field.required && field.default === undefined && !COMPUTED.has(field.type)) required.push(field.name);
    order.push(field.name);
  }
  uiSchema["ui:order"] = order;
  return { schema: { type: "object", properties, required }, uiSchema };
}

function valueSchema(field: FieldDefinition, words: { amount: string; currency: string }): RJSFSchema {
  const values = () => enumOptions(field, "en").map((o) => o.value);
  switch (field.type) {
    case "integer":
      return { type: "integer" };
    case "boolean":
      return { type: "boolean" };
    case "date":
      return { type: "string", format: "date" };
    case "datetime":
      return { type: "string", format: "date-time" };
    case "enum":
      return { type: "string", enum: values() };
    case "multienum":
      return { type: "array", items: { type: "string", enum: values() }, uniqueItems: true };
    case "money":
      return {
        type: "object",
        properties: {
          amount: { type: "string", title: words.amount },
          currency: field.currencies
            ? { type: "string", title: words.currency, enum: field.currencies }
            : { type: "string", title: words.currency },
        },
      };
    case "formula":
    case "rollup":
    case "autonumber":
      return { type: ["string", "number", "boolean", "null"] as unknown as "string", readOnly: true };
    default:
      return { type: "string" };
  }
}

function uiOf(field: FieldDefinition, language: string): UiSchema {
  const ui: UiSchema = {};
  if (field.help) ui["ui:help"] = labelText(field.help, "", language);
  if (COMPUTED.has(field.type)) ui["ui:readonly"] = true;
  switch (field.type) {
    case "longtext":
      ui["ui:widget"] = "textarea";
      break;
    case "enum":
      ui["ui:enumNames"] = enumOptions(field, language).map((o) => o.label);
      break;
    case "multienum":
      ui["ui:widget"] = "checkboxes";
      ui["ui:enumNames"] = enumOptions(field, language).map((o) => o.label);
      ui.items = { "ui:enumNames": ui["ui:enumNames"] };
      break;
    case "reference":
      ui["ui:widget"] = "reference";
      ui["ui:options"] = { target: field.target };
      break;
    case "money":
      ui.amount = { "ui:placeholder": "0.00" };
      break;
    case "decimal":
      ui["ui:placeholder"] = "0.00";
      break;
  }
  return ui;
}
