import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { runSql } from "./run-sql";
import { quoteLiteral } from "./sql-literals";
import {
  isBooleanText,
  isDecimalText,
  isEmailText,
  isHttpUrlText,
  isIntegerText,
  isIsoDateText,
  isIsoDateTimeText,
} from "./value-predicates";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

/** Evaluates a predicate over each input and, where it holds, the cast it guards (which must then succeed). */
async function judge(
  predicate: (e: string) => string,
  cast: string,
  inputs: string[],
): Promise<Record<string, boolean>> {
  const values = inputs.map((v) => `(${quoteLiteral(v)})`).join(", ");
  const { rows } = await runSql<{ rows: Array<{ v: string; ok: boolean; converted: string | null }> }>(
    db.knex,
    `SELECT v, ok, CASE WHEN ok THEN (${cast})::text END AS converted FROM (SELECT v, coalesce(${predicate("v")}, false) AS ok FROM (VALUES ${values}) AS t(v)) AS j`,
  );
  return Object.fromEntries(rows.map((r) => [r.v, r.ok]));
}

describe("value predicates", () => {
  it("accept whole numbers within safe integers only", async () => {
    expect(
      await judge(isIntegerText, "trim(v)::bigint", [
        "42",
        " -7 ",
        "+3",
        "1.5",
        "1e3",
        "",
        "abc",
        "9007199254740991",
        "9007199254740992",
        "12345678901234567",
      ]),
    ).toEqual({
      "42": true,
      " -7 ": true,
      "+3": true,
      "1.5": false,
      "1e3": false,
      "": false,
      abc: false,
      "9007199254740991": true,
      "9007199254740992": false,
      "12345678901234567": false,
    });
  });

  it("accept plain decimals, not exponents, NaN or infinity", async () => {
    expect(
      await judge(isDecimalText, "trim(v)::numeric", ["1.50", "-0.5", ".5", "5.", "1e5", "NaN", "Infinity", "1,5"]),
    ).toEqual({
      "1.50": true,
      "-0.5": true,
      ".5": true,
      "5.": true,
      "1e5": false,
      NaN: false,
      Infinity: false,
      "1,5": false,
    });
  });

  it("accept the words PostgreSQL reads as booleans", async () => {
    expect(await judge(isBooleanText, "lower(trim(v))::boolean", ["yes", " TRUE ", "0", "off", "maybe", "tr"])).toEqual(
      {
        yes: true,
        " TRUE ": true,
        "0": true,
        off: true,
        maybe: false,
        tr: false,
      },
    );
  });

  it("accept real calendar dates only", async () => {
    expect(
      await judge(isIsoDateText, "v::date", [
        "2024-02-29",
        "2023-02-29",
        "2024-04-31",
        "2024-13-01",
        "0000-01-01",
        "03/04/2024",
        "2024-1-5",
      ]),
    ).toEqual({
      "2024-02-29": true,
      "2023-02-29": false,
      "2024-04-31": false,
      "2024-13-01": false,
      "0000-01-01": false,
      "03/04/2024": false,
      "2024-1-5": false,
    });
  });

  it("accept ISO 8601 date-times with optional offsets", async () => {
    const inputs = [
      "2024-05-01",
      "2024-05-01T08:30",
      "2024-05-01 08:30:15.123+08:00",
      "2024-05-01T23:59:59Z",
      "2024-05-01T24:00",
      "2024-02-30T10:00",
      "2024-05-01T08:30+0530",
      "tomorrow",
    ];
    expect(await judge(isIsoDateTimeText, "trim(v)::timestamptz", inputs)).toEqual({
      "2024-05-01": true,
      "2024-05-01T08:30": true,
      "2024-05-01 08:30:15.123+08:00": true,
      "2024-05-01T23:59:59Z": true,
      "2024-05-01T24:00": false,
      "2024-02-30T10:00": false,
      "2024-05-01T08:30+0530": true,
      tomorrow: false,
    });
  });

  it("tell emails and http(s) URLs", async () => {
    expect(await judge(isEmailText, "v", ["li.lei@example.cn", "li lei@example.cn", "nobody@", "a@b.c"])).toEqual({
      "li.lei@example.cn": true,
      "li lei@example.cn": false,
      "nobody@": false,
      "a@b.c": true,
    });
    expect(
      await judge(isHttpUrlText, "v", ["https://kehu.dev/x?y=1", "HTTP://a.b", "ftp://a.b", "javascript:alert(1)"]),
    ).toEqual({
      "https://kehu.dev/x?y=1": true,
      "HTTP://a.b": true,
      "ftp://a.b": false,
      "javascript:alert(1)": false,
    });
  });
});
