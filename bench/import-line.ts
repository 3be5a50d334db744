// bench/records, CSV import line: POST /api/data/:entity/import of N rows vs raw COPY of the same rows.

import { randomUUID } from "node:crypto";
import http from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { EntityDefinition } from "@kehu/schema";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { fmt } from "./bench-kit";

type Row = Record<string, string>;

export interface ImportLineSetup {
  api: string;
  auth: Record<string, string>;
  benchUrl: string;
  rows: number;
  post: (path: string, body: unknown) => Promise<unknown>;
  entity: (name: string) => EntityDefinition;
  row: (i: number) => Row;
  /** Also import the same file into an entity with `audit: false`, to print what the audit trail costs. */
  auditCost?: boolean;
  /** Also import it into an entity whose every new record starts a workflow, to print what queueing the starts costs. */
  triggerCost?: boolean;
}

// A workflow that only starts and ends: the line measures queueing its starts in the import, not running them.
const NOOP_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="http://kehu.dev/bench">
  <process id="p" isExecutable="true"><startEvent id="s"/><endEvent id="e"/>
    <sequenceFlow id="f" sourceRef="s" targetRef="e"/></process>
</definitions>`;

/**
 * One result line of bench/records: the CSV import's rows/s against COPY's into same-shaped tables, and the ratio;
 * with `auditCost` a second line, the same import into an entity that is not audited.
 */
export async function importLine(s: ImportLineSetup): Promise<Array<[string, string, string]>> {
  await s.post("/api/meta/entities", s.entity("bench_import"));
  if (s.auditCost) await s.post("/api/meta/entities", { ...s.entity("bench_import_unaudited"), audit: false });
  if (s.triggerCost) {
    await s.post("/api/meta/entities", s.entity("bench_import_triggered"));
    await s.post("/api/workflows/deployments", { key: "bench_noop", xml: NOOP_BPMN, entity: "bench_import_triggered" });
    await s.post("/api/workflows/triggers", {
      key: "bench_noop",
      kind: "record",
      entity: "bench_import_triggered",
      events: ["create"],
    });
  }
  await s.post("/api/meta/entities", s.entity("bench_import_copy"));
  await s.post("/api/meta/entities", s.entity("bench_import_copy_after"));
  const rows = Array.from({ length: s.rows }, (_, i) => s.row(20_000_000 + i));
  const columns = Object.keys(rows[0]);
  const csv = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const text = [columns.join(","), ...rows.map((r) => columns.map((c) => csv(r[c])).join(","))].join("\n");

  // COPY runs once before and once after the import, into same-shaped empty tables, and the two are averaged:
  // on a shared machine the load drifts, and one COPY at a quiet moment would skew the ratio.
  const copyBeforeMs = await copyInto("bench_import_copy", columns, rows, s.benchUrl);
  const importMs = await importInto("bench_import", text, s);
  const unauditedMs = s.auditCost ? await importInto("bench_import_unaudited", text, s) : 0;
  const copyAfterMs = await copyInto("bench_import_copy_after", columns, rows, s.benchUrl);
  const copyMs = (copyBeforeMs + copyAfterMs) / 2;
  // Last: the queued starts run in the server's job queue afterwards, and would load the machine for the other runs.
  const triggeredMs = s.triggerCost ? await importInto("bench_import_triggered", text, s) : 0;
  const importRate = s.rows / (importMs / 1000);
  const copyRate = s.rows / (copyMs / 1000);
  const lines: Array<[string, string, string]> = [
    [
      `CSV import of ${s.rows.toLocaleString("en-US")} rows over HTTP (skip-invalid) vs COPY`,
      `${fmt(importRate, 0)} vs ${fmt(copyRate, 0)} rows/s (${fmt((importRate * 60) / 1000, 0)}k records/min; Twenty ~6k/min)`,
      `ratio ${fmt(copyMs / importMs)} (aim >= 0.5)`,
    ],
  ];
  if (s.auditCost)
    lines.push([
      "the same import into an entity with audit: false, vs COPY",
      `${fmt(s.rows / (unauditedMs / 1000), 0)} rows/s`,
      `ratio ${fmt(copyMs / unauditedMs)}; audited/unaudited ${fmt(unauditedMs / importMs)}`,
    ]);
  if (s.triggerCost)
    lines.push([
      "the same import into an entity whose every new record starts a workflow (starts queued in the import)",
      `${fmt(s.rows / (triggeredMs / 1000), 0)} rows/s, ${fmt(((triggeredMs - importMs) / s.rows) * 1000, 0)} µs more per row`,
      `triggered/plain ${fmt(importMs / triggeredMs)}`,
    ]);
  return lines;
}

async function importInto(entity: string, text: string, s: ImportLineSetup): Promise<number> {
  const started = performance.now();
  const res = await postText(`${s.api}/api/data/${entity}/import?mode=skip-invalid`, text, s.auth);
  const ms = performance.now() - started;
  const report = JSON.parse(res.body) as { created?: number };
  if (res.status !== 200 || report.created !== s.rows)
    throw new Error(`import: ${res.status} ${res.body.slice(0, 300)}`);
  return ms;
}

function postText(
  url: string,
  text: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const data = Buffer.from(text, "utf8");
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", headers: { ...headers, "content-type": "text/csv", "content-length": data.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

async function copyInto(table: string, columns: string[], rows: Row[], url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const csv = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const start = performance.now();
    const stream = client.query(
      copyFrom(`COPY data.${table} (id, ${columns.join(", ")}) FROM STDIN WITH (FORMAT csv)`),
    );
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < rows.length; i += 1000)
            yield rows
              .slice(i, i + 1000)
              .map((r) => [randomUUID(), ...columns.map((c) => csv(r[c]))].join(","))
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
