import { IDENTIFIER_PATTERN } from "./field.schema";

/**
 * A connection to an external system (`sync/*.connection.yaml`): which connector, its config (validated against
 * the connector's spec; `${ENV}` references are resolved when a session opens), whom it acts as, its schedule.
 *
 * @example
 * {"name": "sap", "connector": "sap-b1", "actAs": "sync_bot", "schedule": "*\/15 * * * *",
 *  "config": {"baseUrl": "https://b1:50000", "companyDb": "SBODEMO", "userName": "manager", "password": "${SAP_PASSWORD}"}}
 */
export const syncConnectionSchema = {
  $id: "https://kehu.dev/schema/sync-connection.json",
  type: "object",
  properties: {
    name: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 64 },
    label: { type: "string", maxLength: 200 },
    connector: { type: "string", pattern: "^[a-z][a-z0-9-]*$", maxLength: 64 },
    config: { type: "object" },
    /** Login of the user the sync acts as (record scopes and the audit trail apply); a service user by default. */
    actAs: { type: "string", minLength: 1, maxLength: 100 },
    /** A cron expression for scheduled runs. */
    schedule: { type: "string", maxLength: 100 },
    enabled: { type: "boolean" },
  },
  required: ["name", "connector", "config"],
  additionalProperties: false,
} as const;
