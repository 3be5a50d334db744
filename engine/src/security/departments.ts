import { AppError, isUuid } from "@kehu/core";
import type { Knex } from "knex";
import { InputReader } from "./admin-input";
import { forgetCachedPrincipals } from "./principal-cache";

export interface Department {
  id: string;
  name: string;
  code: string | null;
  parentId: string | null;
}

export interface DepartmentNode extends Department {
  children: DepartmentNode[];
}

export interface DepartmentInput {
  name?: string;
  code?: string | null;
  parentId?: string | null;
}

/** Reads `{name, code?, parentId?}`, naming every bad field. */
export function parseDepartmentInput(body: unknown, creating: boolean): DepartmentInput {
  const r = new InputReader(body, ["name", "code", "parentId"], "the department");
  const input = {
    name: r.text("name", { required: creating }),
    code: r.nullableText("code", { max: 100 }),
    parentId: r.nullableId("parentId"),
  };
  r.done("The department is not valid");
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

const of = (row: Record<string, unknown>): Department => ({
  id: row.id as string,
  name: row.name as string,
  code: (row.code as string | null) ?? null,
  parentId: (row.parent_id as string | null) ?? null,
});

export async function listDepartments(knex: Knex): Promise<Department[]> {
  return (await knex("kehu.departments").orderBy(["name", "id"])).map(of);
}

/** Every department as a tree of roots with nested children, each level by name. */
export async function departmentTree(knex: Knex): Promise<DepartmentNode[]> {
  const nodes = new Map<string, DepartmentNode>();
  const all = await listDepartments(knex);
  for (const d of all) nodes.set(d.id, { ...d, children: [] });
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export async function getDepartment(knex: Knex, id: string): Promise<Department> {
  const row = isUuid(id) ? await knex("kehu.departments").where({ id }).first() : undefined;
  if (!row) throw new AppError("not_found", `No department ${id}`);
  return of(row);
}

export async function createDepartment(knex: Knex, input: DepartmentInput): Promise<Department> {
  await checkParent(knex, undefined, input.parentId);
  await checkCode(knex, undefined, input.code);
  const [row] = await knex("kehu.departments")
    .insert({ name: input.name, code: input.code ?? null, parent_id: input.parentId ?? null })
    .returning("*");
  return of(row);
}

/** Renames or moves a department; a move under itself or one of its descendants is refused. */
export async function updateDepartment(knex: Knex, id: string, input: DepartmentInput): Promise<Department> {
  await getDepartment(knex, id);
  await checkParent(knex, id, input.parentId);
  await checkCode(knex, id, input.code);
  const patch: Record<string, unknown> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.code !== undefined) patch.code = input.code;
  if (input.parentId !== undefined) patch.parent_id = input.parentId;
  if (Object.keys(patch).length) await knex("kehu.departments").where({ id }).update(patch);
  forgetCachedPrincipals();
  return getDepartment(knex, id);
}

/** Deletes an empty department: 409 while it has sub-departments or users. */
export async function deleteDepartment(knex: Knex, id: string): Promise<void> {
  await getDepartment(knex, id);
  if (await knex("kehu.departments").where({ parent_id: id }).first("id"))
    throw new AppError("conflict", "The department has sub-departments; move or delete them first");
  if (await knex("kehu.users").where({ department_id: id }).first("id"))
    throw new AppError("conflict", "The department has users; move them first");
  await knex("kehu.departments").where({ id }).delete();
}

/** The ids of a department and every department below it. */
export async function departmentSubtree(knex: Knex, id: string): Promise<string[]> {
  const result = await knex.raw(
    `WITH RECURSIVE t AS (SELECT id FROM kehu.departments WHERE id = ?
       UNION SELECT d.id FROM kehu.departments d JOIN t ON d.parent_id = t.id) SELECT id FROM t`,
    [id],
  );
  return (result.rows as Array<{ id: string }>).map((r) => r.id);
}

async function checkParent(knex: Knex, id: string | undefined, parentId: string | null | undefined) {
  if (!parentId) return;
  if (!(await knex("kehu.departments").where({ id: parentId }).first("id")))
    throw new AppError("validation_failed", "The department is not valid", [
      { path: "/parentId", message: `no department ${parentId}` },
    ]);
  if (id && (await departmentSubtree(knex, id)).includes(parentId))
    throw new AppError("validation_failed", "A department cannot be moved under itself or below itself", [
      { path: "/parentId", message: "would make a cycle" },
    ]);
}

async function checkCode(knex: Knex, id: string | undefined, code: string | null | undefined) {
  if (!code) return;
  const other = await knex("kehu.departments").where({ code }).first("id");
  if (other && other.id !== id)
    throw new AppError("conflict", `The department code "${code}" is taken`, [{ path: "/code", message: "is taken" }]);
}
