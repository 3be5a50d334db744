import { describe, expect, it } from "vitest";
import { openTestDatabase } from "../testing/test-database";
import { appErrorFromDatabase, invalidValueMessage } from "./database-errors";

describe("a bad value refused by the database", () => {
  it("is explained without the SQL statement or its other bound values", async () => {
    const db = await openTestDatabase();
    try {
      await db.knex.raw("CREATE TABLE bad_values (s varchar(3), n numeric(4,2), secret text)");
      const cases: Array<[string, string[], RegExp]> = [
        ["SELECT ?::uuid AS v, ? AS secret", ["abc", "someone else's data"], /^"abc" is not a valid uuid$/],
        ["SELECT ?::integer AS v, ? AS secret", ["12x", "someone else's data"], /^"12x" is not a valid integer$/],
        [
          "INSERT INTO bad_values (s, secret) VALUES (?, ?)",
          ["abcdef", "someone else's data"],
          /^A text is longer .*\(3 characters\)$/,
        ],
        [
          "INSERT INTO bad_values (n, secret) VALUES (?, ?)",
          ["12345", "someone else's data"],
          /^A number is too large/,
        ],
        ["SELECT ?::date AS v, ? AS secret", ["2026-13-45", "someone else's data"], /date or time|not a valid date/],
      ];
      for (const [sql, bindings, expected] of cases) {
        const error = await db.knex.raw(sql, bindings).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, sql).toBeInstanceOf(Error);
        // PGlite and PostgreSQL both name a code; the statement is in the raw message.
        expect((error as Error).message, sql).toMatch(/SELECT|INSERT/);
        const problem = appErrorFromDatabase(error);
        expect(problem?.code, sql).toBe("bad_request");
        expect(problem?.message, sql).toMatch(expected);
        expect(problem?.message, sql).not.toMatch(/SELECT|INSERT|someone else/);
      }
    } finally {
      await db.close();
    }
  });

  it("falls back to a plain sentence for a message it does not know", () => {
    expect(invalidValueMessage("select * from x where y = 'z' - something odd happened")).toBe(
      "A value is not valid for its column",
    );
  });
});
