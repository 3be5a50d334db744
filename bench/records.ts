// bench/records: the record API against raw PostgreSQL, measured in one run on the same machine.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm bench:records [--quick] [--only bulk,import] [--audit-cost]
//   [--trigger-cost]
// --only runs some lines: create, bulk, import, reads (get, lists, scopes, search; implies bulk), rollup.
// --audit-cost also imports into an unaudited entity and prints what the audit trail costs the import.
// --trigger-cost also imports into an entity with a record-created workflow trigger and prints what queueing costs.
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { EntityDefinition } from "@kehu/schema";
import knexFactory, { type Knex } from "knex";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { closeHttpAgent, fmt, httpJson, latencies, percentile, runConcurrently, startKehuProcess } from "./bench-kit";
import { importLine } from "./import-line";
import { rollupLine } from "./rollup-line";

const base = process.env.DATABASE_URL;
if (!base) {
  console.error("bench/records runs on PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)");
  process.exit(2);
}
const quick = process.argv.includes("--quick");
const auditCost = process.argv.includes("--audit-cost");
const triggerCost = process.argv.includes("--trigger-cost");
const LINES = ["create", "bulk", "import", "reads", "rollup"];
const onlyArg = process.argv[process.argv.indexOf("--only") + 1];
const only = process.argv.includes("--only") ? new Set(onlyArg?.split(",")) : new Set(LINES);
if (only.has("reads")) only.add("bulk");
const unknownLine = [...only].find((l) => !LINES.includes(l));
if (unknownLine) {
  console.error(`--only takes a comma-separated list of ${LINES.join(", ")} (got "${unknownLine}")`);
  process.exit(2);
}
const N_CREATE = quick ? 2000 : 8000;
const N_BULK = quick ? 20_000 : 100_000;
const BIG = quick ? 100_000 : 1_000_000;
const CLIENTS = 16;

const dbName = `kehu_bench_${process.pid}`;
const admin = knexFactory({ client: "pg", connection: base, pool: { min: 0, max: 1 } });
await admin.raw(`CREATE DATABASE ${dbName}`);
const url = new URL(base);
url.pathname = `/${dbName}`;
const benchUrl = url.toString();

const item = (name: string): EntityDefinition => ({
  name,
  fields: [
    { name: "code", type: "text", unique: true },
    { name: "name", type: "text", required: true },
    { name: "status", type: "enum", values: ["open", "won", "lost", "hold"] },
    { name: "amount", type: "decimal", scale: 2 },
    { name: "region", type: "text" },
    { name: "owner", type: "text" },
  ],
  indexes: [{ fields: ["status", "amount"] }],
});

const NAMES = ["张伟", "李娜", "王芳", "刘洋", "陈静", "Shanghai", "Beijing", "Guangzhou", "Shenzhen", "Chengdu"];
const STATUSES = ["open", "won", "lost", "hold"];
const row = (i: number) => ({
  code: `C${i}`,
  name: `${NAMES[i % 10]} 建材 ${i}`,
  status: STATUSES[i % 4],
  amount: `${(i * 37) % 100000}.${String(i % 100).padStart(2, "0")}`,
  region: `R${i % 50}`,
  owner: `u${i % 20}`,
});

const { url: api, child } = await startKehuProcess({
  DATABASE_URL: benchUrl,
  KEHU_ADMIN_LOGIN: "bench",
  KEHU_ADMIN_PASSWORD: "bench-password",
});
const auth = { authorization: `Bearer ${await apiToken("bench", "bench-password")}` };
const knex: Knex = knexFactory({ client: "pg", connection: benchUrl, pool: { min: CLIENTS, max: CLIENTS } });
const results: Array<[string, string, string]> = [];
const post = async (path: string, body: unknown) => {
  const res = await httpJson("POST", api + path, body, auth);
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
};
const get = async (path: string, headers: Record<string, string> = auth) => {
  const res = await httpJson("GET", api + path, undefined, headers);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
};
try {
  for (const name of ["bench_api", "bench_raw", "bench_bulk", "bench_copy", "bench_100k", "bench_big"])
    await post("/api/meta/entities", item(name));

  if (only.has("create")) await createLine();
  if (only.has("bulk")) await bulkLine();
  if (only.has("import"))
    results.push(
      ...(await importLine({ api, auth, benchUrl, rows: N_BULK, post, entity: item, row, auditCost, triggerCost })),
    );
  if (only.has("reads")) await readLines();
  if (only.has("rollup"))
    results.push(
      await rollupLine({
        post,
        put: (path, body) => httpJson("PUT", api + path, body, auth),
        knex,
        quick,
        clients: CLIENTS,
      }),
    );
} finally {
  closeHttpAgent();
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await knex.destroy();
  await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.destroy();
}

console.log(`\nbench/records on PostgreSQL (${quick ? "quick" : "full"} run)`);
for (const [what, measured, verdict] of results) console.log(`- ${what}: ${measured}; ${verdict}`);

/** 1. Create one record per request, 16 concurrent clients, vs raw knex single-row inserts on 16 connections. */
async function createLine(): Promise<void> {
  // Warm both sides (JIT, tsx's first compiles, pools) before measuring.
  await runConcurrently(2000, CLIENTS, (i) => post("/api/data/bench_api", row(10_000_000 + i)));
  await runConcurrently(500, CLIENTS, (i) => knex("data.bench_raw").insert(row(10_000_000 + i)));
  const apiMs = await runConcurrently(N_CREATE, CLIENTS, (i) => post("/api/data/bench_api", row(i)).then(() => {}));
  const rawMs = await runConcurrently(N_CREATE, CLIENTS, async (i) => {
    await knex("data.bench_raw").insert(row(i));
  });
  const apiRate = N_CREATE / (apiMs / 1000);
  const rawRate = N_CREATE / (rawMs / 1000);
  results.push([
    "create over HTTP, 16 clients vs raw knex, 16 connections",
    `${fmt(apiRate, 0)} vs ${fmt(rawRate, 0)} rows/s`,
    `ratio ${fmt(apiRate / rawRate)} (aim >= 0.5)`,
  ]);
}

/** 2. Bulk upsert in calls of 10,000 vs COPY of the same rows. */
async function bulkLine(): Promise<void> {
  const bulkRows = Array.from({ length: N_BULK }, (_, i) => row(i));
  const bulkStart = performance.now();
  for (let i = 0; i < N_BULK; i += 10_000)
    await post("/api/data/bench_bulk/bulk", { records: bulkRows.slice(i, i + 10_000), upsertBy: "code" });
  const bulkMs = performance.now() - bulkStart;
  const copyMs = await copyRows(bulkRows);
  results.push([
    "bulk upsert by code, 10,000 per call, vs COPY",
    `${fmt(N_BULK / (bulkMs / 1000), 0)} vs ${fmt(N_BULK / (copyMs / 1000), 0)} rows/s`,
    `ratio ${fmt(copyMs / bulkMs)} (aim >= 0.5)`,
  ]);
}

/** 3.-5. Reads: get by id, lists on 100k and 1M rows, a department-scoped user, search. */
async function readLines(): Promise<void> {
  // Get by id, one client.
  const ids: string[] = await knex("data.bench_bulk").limit(2000).pluck("id");
  await latencies(200, (i) => get(`/api/data/bench_bulk/${ids[i]}`));
  const gets = await latencies(2000, (i) => get(`/api/data/bench_bulk/${ids[i]}`));
  results.push([
    "get by id, 1 client",
    `p50 ${fmt(percentile(gets, 50))} ms, p95 ${fmt(percentile(gets, 95))} ms`,
    "aim p50 <= 1 ms",
  ]);

  // 4. Lists with a filter, a sort and a page of 50, on 100k and on 1M rows; fuzzy search on 1M.
  await fillTable("bench_100k", 100_000);
  await fillTable("bench_big", BIG);
  for (const [table, rows] of [
    ["bench_100k", 100_000],
    ["bench_big", BIG],
  ] as const) {
    const times = await listLatencies(table, 300);
    results.push([
      `list, filter + sort + page of 50, ${rows.toLocaleString("en-US")} rows`,
      `p50 ${fmt(percentile(times, 50))} ms, p95 ${fmt(percentile(times, 95))} ms`,
      "aim p95 <= 10 ms (100k), < 50 ms (1M)",
    ]);
  }
  // 5. A department-scoped user against an admin on the same 100k rows (half in each of two departments).
  const scoped = await scopedUser("bench_100k");
  const adminList = await listLatencies("bench_100k", 300);
  const scopedList = await listLatencies("bench_100k", 300, scoped.headers);
  const inScope: string[] = await knex("data.bench_100k")
    .where({ department_id: scoped.departmentId })
    .limit(1000)
    .pluck("id");
  const getAs = (headers: Record<string, string>) => (i: number) =>
    httpJson("GET", `${api}/api/data/bench_100k/${inScope[i]}`, undefined, headers);
  const adminGets = await latencies(1000, getAs(auth));
  const scopedGets = await latencies(1000, getAs(scoped.headers));
  const ratio = (admin: number[], user: number[]) => fmt(percentile(admin, 50) / percentile(user, 50));
  results.push([
    "department-scoped user vs admin, 100,000 rows (1 client)",
    `list p50 ${fmt(percentile(scopedList, 50))} vs ${fmt(percentile(adminList, 50))} ms, get p50 ${fmt(percentile(scopedGets, 50))} vs ${fmt(percentile(adminGets, 50))} ms`,
    `throughput ratio list ${ratio(adminList, scopedList)}, get ${ratio(adminGets, scopedGets)} (aim >= 0.8)`,
  ]);
  for (const mode of ["contains", "fuzzy"] as const) {
    const terms = Array.from({ length: 100 }, (_, i) => `建材 ${(i * 7919) % BIG}`);
    const times = await latencies(terms.length, (i) =>
      get(`/api/data/bench_big?${new URLSearchParams({ search: terms[i], searchMode: mode, limit: "20" })}`),
    );
    results.push([
      `search (${mode}), ${BIG.toLocaleString("en-US")} rows`,
      `p50 ${fmt(percentile(times, 50))} ms, p95 ${fmt(percentile(times, 95))} ms`,
      "aim p95 < 100 ms",
    ]);
  }
}

async function copyRows(rows: ReturnType<typeof row>[]): Promise<number> {
  const client = new pg.Client({ connectionString: benchUrl });
  await client.connect();
  try {
    const csv = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const start = performance.now();
    const stream = client.query(
      copyFrom("COPY data.bench_copy (id, code, name, status, amount, region, owner) FROM STDIN WITH (FORMAT csv)"),
    );
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < rows.length; i += 1000)
            yield rows
              .slice(i, i + 1000)
              .map((r) => [randomUUID(), r.code, csv(r.name), r.status, r.amount, r.region, r.owner].join(","))
              .join("\n")
              .concat("\n");
        })(),
      ),
      stream,
    );
    return performance.now() - start;
  } finally {
    await client.end();
  }
}

async function fillTable(table: string, count: number): Promise<void> {
  const start = performance.now();
  await knex.raw(`DROP INDEX IF EXISTS data."${table}__search"`);
  await knex.raw(
    `INSERT INTO data."${table}" (code, name, status, amount, region, owner)
     SELECT 'C' || g, (?::text[])[1 + g % 10] || ' 建材 ' || g, (ARRAY['open','won','lost','hold'])[1 + g % 4],
            ((g * 37) % 100000)::numeric + (g % 100) / 100.0, 'R' || (g % 50), 'u' || (g % 20)
     FROM generate_series(0, ?::int - 1) AS g`,
    [NAMES, count],
  );
  await knex.raw(`CREATE INDEX "${table}__search" ON data."${table}" USING gin (_search gin_trgm_ops)`);
  await knex.raw(`ANALYZE data."${table}"`);
  console.log(`filled ${table} with ${count} rows in ${fmt((performance.now() - start) / 1000, 1)} s`);
}

async function listLatencies(table: string, count: number, headers: Record<string, string> = auth): Promise<number[]> {
  const query = (i: number, cursor?: string) =>
    `/api/data/${table}?${new URLSearchParams({ filter: JSON.stringify({ status: { eq: STATUSES[i % 4] }, amount: { gte: String((i * 131) % 50000) } }), sort: "-amount", limit: "50", ...(cursor && { cursor }) })}`;
  await latencies(30, (i) => get(query(i), headers));
  let cursor: string | undefined;
  return latencies(count, async (i) => {
    const body = (await get(query(i - (i % 3), i % 3 === 0 ? undefined : cursor), headers)) as {
      nextCursor?: string | null;
    };
    cursor = i % 3 === 2 ? undefined : (body.nextCursor ?? undefined);
  });
}

/** Two departments over `table`'s rows, a role reading its own department, and a user of the first one. */
async function scopedUser(table: string): Promise<{ headers: Record<string, string>; departmentId: string }> {
  const east = await post("/api/admin/departments", { name: "华东销售部" });
  const west = await post("/api/admin/departments", { name: "华西销售部" });
  await knex.raw(
    `UPDATE data."${table}" SET department_id = CASE WHEN (hashtext(id::text) & 1) = 0 THEN ?::uuid ELSE ?::uuid END`,
    [east.id, west.id],
  );
  // Fresh statistics, as autovacuum would have gathered them: the column was all NULL a moment ago.
  await knex.raw(`ANALYZE data."${table}"`);
  const role = await post("/api/admin/roles", { name: "sales" });
  const permissions = await httpJson(
    "PUT",
    `${api}/api/admin/roles/${role.id}/permissions`,
    { entities: { [table]: { read: "department" } } },
    auth,
  );
  if (permissions.status !== 200)
    throw new Error(`permissions: ${permissions.status} ${JSON.stringify(permissions.body)}`);
  await post("/api/admin/users", {
    login: "zhang.wei",
    displayName: "张伟",
    password: "scoped-password",
    departmentId: east.id,
    roleIds: [role.id],
  });
  return {
    headers: { authorization: `Bearer ${await apiToken("zhang.wei", "scoped-password")}` },
    departmentId: east.id,
  };
}

/** Logs in and creates an API token for the measured requests. */
async function apiToken(user: string, password: string): Promise<string> {
  const login = await httpJson("POST", `${api}/api/auth/login`, { login: user, password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  const cookie = String(login.headers["set-cookie"]?.[0] ?? "").split(";")[0]!;
  const created = await httpJson(
    "POST",
    `${api}/api/auth/tokens`,
    { name: "bench", access: "write" },
    { cookie, "x-csrf-token": login.body.csrfToken },
  );
  if (created.status !== 201) throw new Error(`token: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.token;
}
