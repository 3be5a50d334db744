// The roll-up line of bench/records: what keeping a parent's roll-up costs the child's writes.
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { fmt, runConcurrently } from "./bench-kit";

/** What the line needs from bench/records: its API calls, a knex on the bench database, the run size. */
export interface RollupLineKit {
  post: (path: string, body: unknown) => Promise<unknown>;
  put: (path: string, body: unknown) => Promise<{ status: number; body: unknown }>;
  knex: Knex;
  quick: boolean;
  clients: number;
}

const PARENTS = 200;

const parent = (name: string, child?: string): EntityDefinition => ({
  name,
  fields: [
    { name: "name", type: "text", required: true },
    ...(child
      ? [
          {
            name: "confirmed_total",
            type: "rollup" as const,
            child,
            via: "parent",
            function: "sum" as const,
            field: "amount",
            filter: { status: { eq: "confirmed" } },
          },
        ]
      : []),
  ],
});
const child = (name: string, target: string): EntityDefinition => ({
  name,
  fields: [
    { name: "parent", type: "reference", target, required: true },
    { name: "amount", type: "decimal", scale: 2 },
    { name: "status", type: "enum", values: ["draft", "confirmed"] },
  ],
});

/**
 * Child inserts/s under a parent with a filtered sum roll-up against the same child without one: one record per
 * request on `clients` connections (rounds alternate, so drift of the machine hits both), and bulk calls of 2,000.
 * Checks every parent's total against a fresh sum afterwards, so a fast but wrong trigger cannot pass.
 */
export async function rollupLine(kit: RollupLineKit): Promise<[string, string, string]> {
  for (const [p, c, rollup] of [
    ["rl_parent", "rl_child", true],
    ["rl_plain_parent", "rl_plain_child", false],
  ] as const) {
    await kit.post("/api/meta/entities", parent(p));
    await kit.post("/api/meta/entities", child(c, p));
    if (rollup) {
      const res = await kit.put(`/api/meta/entities/${p}`, parent(p, c));
      if (res.status !== 200) throw new Error(`rollup line: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    await kit.knex.raw(`INSERT INTO data."${p}" (name) SELECT 'P' || g FROM generate_series(1, ?::int) AS g`, [
      PARENTS,
    ]);
  }
  const ids = async (table: string): Promise<string[]> => kit.knex(`data.${table}`).orderBy("name").pluck("id");
  const withIds = await ids("rl_parent");
  const plainIds = await ids("rl_plain_parent");
  const row = (parents: string[], i: number) => ({
    parent: parents[(i * 7919) % PARENTS],
    amount: `${(i * 37) % 1000}.${String(i % 100).padStart(2, "0")}`,
    status: i % 3 ? "confirmed" : "draft",
  });
  const create = (entity: string, parents: string[], offset: number) => (i: number) =>
    kit.post(`/api/data/${entity}`, row(parents, offset + i)).then(() => {});
  const n = kit.quick ? 1000 : 4000;
  await runConcurrently(500, kit.clients, create("rl_child", withIds, 10_000_000));
  await runConcurrently(500, kit.clients, create("rl_plain_child", plainIds, 10_000_000));
  let [withMs, plainMs] = [0, 0];
  for (let round = 0; round < 2; round++) {
    plainMs += await runConcurrently(n, kit.clients, create("rl_plain_child", plainIds, round * n));
    withMs += await runConcurrently(n, kit.clients, create("rl_child", withIds, round * n));
  }
  const bulk = async (entity: string, parents: string[]) => {
    const start = performance.now();
    for (let call = 0; call < 5; call++)
      await kit.post(`/api/data/${entity}/bulk`, {
        records: Array.from({ length: 2000 }, (_, i) => row(parents, 20_000_000 + call * 2000 + i)),
      });
    return performance.now() - start;
  };
  const bulkPlainMs = await bulk("rl_plain_child", plainIds);
  const bulkWithMs = await bulk("rl_child", withIds);
  await assertTotals(kit.knex);
  const rate = (ms: number, rows: number) => rows / (ms / 1000);
  return [
    `child inserts under a parent with a filtered sum roll-up vs without (${PARENTS} parents)`,
    `one per request, ${kit.clients} clients: ${fmt(rate(withMs, 2 * n), 0)} vs ${fmt(rate(plainMs, 2 * n), 0)} rows/s; bulk of 2,000: ${fmt(rate(bulkWithMs, 10_000), 0)} vs ${fmt(rate(bulkPlainMs, 10_000), 0)} rows/s`,
    `ratio ${fmt(plainMs / withMs)} per request, ${fmt(bulkPlainMs / bulkWithMs)} bulk (aim >= 0.7)`,
  ];
}

async function assertTotals(knex: Knex): Promise<void> {
  const { rows } = await knex.raw(
    `SELECT count(*)::int AS wrong FROM data.rl_parent p
     WHERE p.confirmed_total IS DISTINCT FROM (SELECT coalesce(sum(amount), 0) FROM data.rl_child c
       WHERE c.parent = p.id AND c.status = 'confirmed' AND c.deleted_at IS NULL)`,
  );
  if (rows[0].wrong) throw new Error(`rollup line: ${rows[0].wrong} parents have a wrong confirmed_total`);
}
