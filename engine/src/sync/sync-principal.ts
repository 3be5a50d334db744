import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { Principal } from "../security/principal";
import { type PrincipalRow, principalColumns, principalOf } from "../security/user-principal";
import type { ConnectionRow } from "./connection-store";

/** The user a connection acts as, on the `sync` channel: its roles, scopes and the audit trail apply. */
export async function syncPrincipal(knex: Knex, connection: ConnectionRow): Promise<Principal> {
  const row: (PrincipalRow & { active: boolean }) | undefined = connection.act_as
    ? await knex("kehu.users as u")
        .where("u.id", connection.act_as)
        .first([...principalColumns(knex), "u.active"])
    : undefined;
  if (!row) throw new AppError("conflict", `Connection "${connection.name}" has no user to act as; save it again`);
  if (!row.active) throw new AppError("forbidden", `The user connection "${connection.name}" acts as is deactivated`);
  return principalOf(row, "sync");
}
