import { describe, expect, it } from "vitest";
import { configUiSchema } from "./config-ui-schema";

describe("the connection form's uiSchema", () => {
  it("draws every secret of the connector's spec, nested ones too, as a password input", () => {
    const ui = configUiSchema({
      type: "object",
      properties: {
        baseUrl: { type: "string", format: "uri" },
        password: { type: "string", "x-secret": true },
        proxy: {
          type: "object",
          properties: { host: { type: "string" }, token: { type: "string", "x-secret": true } },
        },
        tls: { type: "object", properties: { verify: { type: "boolean" } } },
      },
    });
    expect(ui).toEqual({
      "ui:submitButtonOptions": { norender: true },
      password: { "ui:widget": "password", "ui:options": { autocomplete: "new-password" } },
      proxy: { token: { "ui:widget": "password", "ui:options": { autocomplete: "new-password" } } },
    });
  });

  it("draws a multi-line property (a PEM certificate) as a text area", () => {
    const ui = configUiSchema({
      type: "object",
      properties: { caCertificate: { type: "string", "x-multiline": true }, host: { type: "string" } },
    });
    expect(ui).toEqual({
      "ui:submitButtonOptions": { norender: true },
      caCertificate: { "ui:widget": "textarea", "ui:options": { rows: 6 } },
    });
  });
});
