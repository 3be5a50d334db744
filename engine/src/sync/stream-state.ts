import type { StreamState } from "@kehu/connector-kit";
import type { Knex } from "knex";

export async function loadStreamState(
  knex: Knex,
  connection: string,
  stream: string,
): Promise<StreamState | undefined> {
  const row = await knex("kehu.sync_stream_state").where({ connection, stream }).first("state");
  return row?.state ?? undefined;
}

/** The stream's checkpoint, written in the transaction of the page it closes. */
export async function saveStreamState(
  trx: Knex,
  connection: string,
  stream: string,
  state: StreamState,
): Promise<void> {
  await streamStateSave(trx, connection, stream, state);
}

/** The statement of `saveStreamState` (a query builder: await it, or pass it to `writeOf`). */
export function streamStateSave(trx: Knex, connection: string, stream: string, state: StreamState): Knex.QueryBuilder {
  return trx("kehu.sync_stream_state")
    .insert({ connection, stream, state: JSON.stringify(state), updated_at: trx.fn.now() })
    .onConflict(["connection", "stream"])
    .merge(["state", "updated_at"]);
}

export async function clearStreamState(knex: Knex, connection: string, stream: string): Promise<void> {
  await knex("kehu.sync_stream_state").where({ connection, stream }).delete();
}
