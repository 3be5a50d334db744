/** A UI text in the languages Kehu ships: `{"en": "Customer", "zh": "客户"}`. */
export const labelSchema = {
  type: "object",
  properties: {
    en: { type: "string", minLength: 1, maxLength: 200 },
    zh: { type: "string", minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
  minProperties: 1,
} as const;
