import { AppError, type Issue } from "@kehu/core";
import type { Knex } from "knex";
import { writeAudit } from "../security/audit-writer";
import type { Principal } from "../security/principal";
import { findUserByLogin } from "../security/users";
import { schemaIssues } from "./schema-check";
import type { WorkflowRuntime } from "./workflow-runtime";

export interface TaskActor {
  principal: Principal;
  roles: string[];
}

/** The role names of a principal (candidate groups name roles). */
export async function taskActorOf(knex: Knex, principal: Principal): Promise<TaskActor> {
  const roles = principal.roleIds.length ? await knex("kehu.roles").whereIn("id", principal.roleIds).pluck("name") : [];
  return { principal, roles };
}

type TaskRow = Record<string, unknown> & {
  id: string;
  instance_id: string;
  execution_id: string;
  element_id: string;
  assignee: string | null;
  candidate_users: string[];
  candidate_groups: string[];
  status: string;
  form: { schema: object } | null;
};

function isCandidate(task: TaskRow, actor: TaskActor): boolean {
  return (
    task.candidate_users.includes(actor.principal.login) || task.candidate_groups.some((g) => actor.roles.includes(g))
  );
}

/** Whether the actor may see a task: its assignee, a candidate (when unclaimed) or an admin. */
export function canSeeTask(task: TaskRow, actor: TaskActor): boolean {
  return actor.principal.isAdmin || task.assignee === actor.principal.login || isCandidate(task, actor);
}

async function lockedTask(trx: Knex, id: string, actor: TaskActor): Promise<TaskRow> {
  const found = await trx("kehu.wf_tasks").where({ id }).first("instance_id");
  if (!found) throw new AppError("not_found", `No task ${id}`);
  await trx("kehu.wf_instances").where({ id: found.instance_id }).forUpdate().first("id");
  const task: TaskRow = await trx("kehu.wf_tasks").where({ id }).forUpdate().first();
  if (!canSeeTask(task, actor)) throw new AppError("not_found", `No task ${id}`);
  if (task.status !== "open") throw new AppError("conflict", `The task is ${task.status}`);
  return task;
}

async function trail(trx: Knex, task: TaskRow, actor: TaskActor, event: string, detail: Record<string, unknown>) {
  await trx("kehu.wf_history").insert({
    instance_id: task.instance_id,
    element_id: task.element_id,
    element_type: "bpmn:UserTask",
    event,
    actor: actor.principal.login,
    detail: JSON.stringify(detail),
  });
  await writeAudit(trx, {
    principal: { ...actor.principal, channel: "workflow" },
    entity: "workflow_task",
    recordId: task.id,
    action: "update",
    changes: Object.fromEntries(Object.entries(detail).map(([k, v]) => [k, { old: null, new: v }])),
  });
}

/** Task actions: claim, complete (form data checked against the task's form schema), delegate, comment. */
export class TaskActions {
  constructor(private readonly runtime: WorkflowRuntime) {}

  private get knex(): Knex {
    return this.runtime.ctx.db.knex;
  }

  async claim(id: string, actor: TaskActor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const task = await lockedTask(trx, id, actor);
      if (task.assignee === actor.principal.login) return;
      if (task.assignee) throw new AppError("conflict", `The task is already assigned to ${task.assignee}`);
      if (!isCandidate(task, actor) && !actor.principal.isAdmin)
        throw new AppError("forbidden", "Only a candidate user or a member of a candidate group may claim this task");
      await trx("kehu.wf_tasks").where({ id }).update({ assignee: actor.principal.login });
      await trail(trx, task, actor, "claimed", { assignee: actor.principal.login });
    });
  }

  async delegate(id: string, to: unknown, actor: TaskActor): Promise<void> {
    if (typeof to !== "string" || !to)
      throw new AppError("validation_failed", "Say to whom", [{ path: "/to", message: "a user login is needed" }]);
    await this.knex.transaction(async (trx) => {
      const task = await lockedTask(trx, id, actor);
      if (task.assignee !== actor.principal.login && !actor.principal.isAdmin)
        throw new AppError("forbidden", "Only the assignee (or an administrator) may delegate a task");
      const user = await findUserByLogin(trx, to);
      if (!user?.active)
        throw new AppError("validation_failed", `No active user "${to}"`, [{ path: "/to", message: "no such user" }]);
      await trx("kehu.wf_tasks").where({ id }).update({ assignee: user.login });
      await trail(trx, task, actor, "delegated", { from: task.assignee, assignee: user.login });
    });
  }

  async comment(id: string, body: unknown, actor: TaskActor): Promise<void> {
    if (typeof body !== "string" || !body.trim())
      throw new AppError("validation_failed", "A comment needs text", [{ path: "/body", message: "empty" }]);
    await this.knex.transaction(async (trx) => {
      const task = await lockedTask(trx, id, actor);
      await trx("kehu.wf_task_comments").insert({ task_id: id, author: actor.principal.login, body });
      await trail(trx, task, actor, "commented", { comment: body });
    });
  }

  async complete(id: string, data: unknown, actor: TaskActor) {
    return this.knex.transaction(async (trx) => {
      const task = await lockedTask(trx, id, actor);
      if (task.assignee !== actor.principal.login && !(task.assignee === null && isCandidate(task, actor)))
        if (!actor.principal.isAdmin) throw new AppError("forbidden", "Only the assignee may complete this task");
      let issues: Issue[];
      try {
        issues = schemaIssues(task.form?.schema ?? { type: "object" }, data ?? {});
      } catch (e) {
        // A form deployed before deployments checked forms may not compile: the task cannot be checked, not a 500.
        throw new AppError(
          "invalid_workflow",
          `The task's form cannot be checked (${(e as Error).message}); an administrator fixes the form and redeploys the workflow`,
        );
      }
      if (issues.length) throw new AppError("validation_failed", "The form data is not valid", issues);
      const output = { ...(data as Record<string, unknown>) };
      await trx("kehu.wf_tasks")
        .where({ id })
        .update({
          status: "completed",
          outcome: typeof output.outcome === "string" ? output.outcome : null,
          data: JSON.stringify(output),
          completed_by: actor.principal.login,
          completed_at: this.runtime.clock.now(),
        });
      await trail(trx, task, actor, "completed", { outcome: output.outcome ?? null });
      return this.runtime.signal(
        task.instance_id,
        { kind: "task", executionId: task.execution_id, output },
        actor.principal.login,
        trx,
      );
    });
  }
}
