import type { WorkflowService } from "../workflow-service";

const wantsEmail = (input: Record<string, unknown>) => input.email === true || input.email === "true";

/** `notify(to, title, body?, email?)`: an inbox notification per user, plus an outbox email row when `email` is true. */
export const notifyService: WorkflowService = {
  name: "notify",
  version: 1,
  description: "Puts a notification in each user's inbox and, with email=true, queues an email in the outbox.",
  inputSchema: {
    type: "object",
    properties: {
      to: {
        anyOf: [
          { type: "string", minLength: 1 },
          { type: "array", items: { type: "string" }, minItems: 1 },
        ],
      },
      title: { type: "string", minLength: 1 },
      body: { type: "string" },
      email: { type: ["boolean", "string"] },
    },
    required: ["to", "title"],
  },
  // Without email the inbox rows are all it writes, and they go with the step's writes: no savepoint, no INSERT.
  writesOnlyWithStep: (input) => !wantsEmail(input),
  async run({ trx, input, instance, writeWithStep }) {
    const to = (Array.isArray(input.to) ? input.to : String(input.to).split(",")).map((s) => String(s).trim());
    const title = String(input.title);
    const body = input.body === undefined ? null : String(input.body);
    const rows = to.map((login) => ({ user_login: login, title, body, instance_id: instance.id }));
    if (!wantsEmail(input)) {
      writeWithStep("kehu.wf_notifications", rows);
      return { notified: to };
    }
    await trx("kehu.wf_notifications").insert(rows);
    const users = await trx("kehu.users").whereIn("login", to).select("login", "email");
    const mails = users
      .filter((u) => u.email)
      .map((u) => ({ kind: "email", payload: JSON.stringify({ to: u.email, subject: title, text: body ?? "" }) }));
    if (mails.length) await trx("kehu.outbox").insert(mails);
    return { notified: to };
  },
};
