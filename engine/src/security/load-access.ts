import type { EngineContext } from "../engine-context";
import { Access } from "./access";
import { type Principal, SYSTEM_PRINCIPAL } from "./principal";

/** The access of a request's principal (Kehu itself when there is none), over the metadata in force. */
export function loadAccess(ctx: EngineContext, principal: Principal | undefined): Promise<Access> {
  return Access.load(ctx.db.knex, principal ?? SYSTEM_PRINCIPAL, (name) => ctx.registry.get(name));
}
