import { AppError } from "@kehu/core";
import { type Context, Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { revertRevision } from "../../metadata/revert-revision";
import { listRevisions, readRevisionEntry } from "../../metadata/revisions";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { cursorParam, limitParam } from "../list-params";

import { metaChangeFlags } from "../meta-change-flags";
import { readJsonBody } from "../read-json-body";

const metaAdminOnly = adminOnly("see metadata impact and history, or revert revisions");

const MAX_LIMIT = 200;

/**
 * `/api/meta/revisions`: the history of metadata changes with their diffs (`?entity=&before=&limit=`), one
 * revision, and `POST /:id/revert[?dryRun=1][&confirm=1][&breaks=...]`, which applies the revision's inverse
 * as a new revision. Administrators only.
 */
export function metaRevisionRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use("*", metaAdminOnly);

  routes.get("/", async (c) => {
    const limit = limitParam(c.req.query("limit"), 50, MAX_LIMIT);
    const data = await listRevisions(ctx.db.knex, {
      entity: c.req.query("entity") || undefined,
      before: optionalNumber(cursorParam(c.req.query("before"))),
      limit: limit + 1,
    });
    const page = data.slice(0, limit);
    return c.json({ data: page, nextCursor: data.length > limit ? String(page[page.length - 1].id) : null });
  });

  routes.get("/:id", async (c) => {
    const id = revisionId(c);
    const revision = await readRevisionEntry(ctx.db.knex, id);
    if (!revision) throw new AppError("not_found", `No revision ${id}`);
    return c.json(revision);
  });

  routes.post("/:id/revert", async (c) => {
    const body = Number(c.req.header("content-length") ?? "0") > 0 ? await readJsonBody(c) : undefined;
    const flags = metaChangeFlags(c, (body as { breaks?: unknown } | undefined)?.breaks);
    const result = await revertRevision(ctx, revisionId(c), { ...flags, actor: c.get("actor") });
    return c.json({ ...(flags.dryRun ? { dryRun: true } : {}), ...result });
  });

  return routes;
}

const optionalNumber = (text: string | undefined) => (text === undefined ? undefined : Number(text));

function revisionId(c: Context<AppEnv>): number {
  const raw = c.req.param("id") ?? "";
  if (!/^\d{1,15}$/.test(raw)) throw new AppError("not_found", `No revision ${raw}`);
  return Number(raw);
}
