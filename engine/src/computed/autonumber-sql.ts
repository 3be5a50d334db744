import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { AUTONUMBER_TOKEN } from "@kehu/schema";
import { entityTable, quoteIdent } from "../storage/identifiers";
import { routineName } from "./routine-names";
import { sqlTextLiteral } from "./sql-text-literal";

/** The trigger that numbers new rows of one autonumber field. */
export interface AutonumberRoutine {
  name: string;
  table: string;
  create: string[];
  /** Numbers the rows that have no number yet, in creation order, each in the period it was created in. */
  backfill: string;
  /**
   * Raises each period's counter to the highest number the table holds in that period (never lowers one), so
   * numbers that came back without their counter (a reverted deletion or drop, a renamed field) are not given again.
   */
  raiseCounters: string;
}

const DATE_FORMATS: Record<string, string> = { YYYY: "YYYY", YY: "YY", MM: "MM", DD: "DD" };

/**
 * The SQL of an autonumber (`HT-{YYYY}-{0000}`): a function `kehu.<name>(at)` that takes the next value of
 * the counter row of the period of `at` in `kehu.autonumber_counters` (an upsert, so the row stays locked
 * until the inserting transaction ends: concurrent inserts wait for each other, and a rolled-back insert
 * rolls its number back, so numbers have no gaps and no duplicates) and formats it; and a BEFORE INSERT
 * trigger filling the field of rows that do not bring a number. The period is the pattern's date tokens
 * of the UTC time; the sequence is zero-padded to its token's width and grows past it when it must.
 */
export function autonumberRoutine(entity: EntityDefinition, field: FieldDefinition): AutonumberRoutine {
  const name = routineName("autonumber", entity.name, field.name);
  const fn = `kehu.${quoteIdent(name)}`;
  const table = entityTable(entity.name);
  const col = quoteIdent(field.name);
  const pattern = field.pattern ?? "{0}";
  const tokens = [...pattern.matchAll(AUTONUMBER_TOKEN)];
  const dates = tokens.map((m) => m[1]).filter((t) => t in DATE_FORMATS);
  const period = dates.length ? dates.map((t) => `to_char(at, '${DATE_FORMATS[t]}')`).join(" || '-' || ") : "''";
  const parts: string[] = [];
  let last = 0;
  for (const m of tokens) {
    if (m.index > last) parts.push(sqlTextLiteral(pattern.slice(last, m.index)));
    const token = m[1];
    if (token in DATE_FORMATS) parts.push(`to_char(at, '${DATE_FORMATS[token]}')`);
    else parts.push(`lpad(n::text, greatest(${token.length}, length(n::text)), '0')`);
    last = m.index + m[0].length;
  }
  if (last < pattern.length) parts.push(sqlTextLiteral(pattern.slice(last)));
  const raiseCounters = raiseCountersSql(entity.name, field.name, table, col, pattern, tokens);
  const next = `CREATE OR REPLACE FUNCTION ${fn}(at timestamp) RETURNS text LANGUAGE plpgsql AS $kehu$
DECLARE n bigint;
BEGIN
  INSERT INTO kehu.autonumber_counters AS c (entity, field, period, value)
    VALUES (${sqlTextLiteral(entity.name)}, ${sqlTextLiteral(field.name)}, ${period}, 1)
    ON CONFLICT (entity, field, period) DO UPDATE SET value = c.value + 1
    RETURNING c.value INTO n;
  RETURN ${parts.join(" || ")};
END
$kehu$`;
  const trigger = `CREATE OR REPLACE FUNCTION kehu.${quoteIdent(`${name}_t`.slice(0, 63))}() RETURNS trigger LANGUAGE plpgsql AS $kehu$
BEGIN
  IF "new".${col} IS NULL THEN "new".${col} := ${fn}(now() AT TIME ZONE 'UTC'); END IF;
  RETURN "new";
END
$kehu$`;
  return {
    name,
    table,
    create: [
      next,
      trigger,
      `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${table}`,
      `CREATE TRIGGER ${quoteIdent(name)} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION kehu.${quoteIdent(`${name}_t`.slice(0, 63))}()`,
    ],
    backfill: `DO $kehu$ DECLARE r record; BEGIN
  FOR r IN SELECT id, created_at FROM ${table} WHERE ${col} IS NULL ORDER BY created_at, id LOOP
    UPDATE ${table} SET ${col} = ${fn}(r.created_at AT TIME ZONE 'UTC') WHERE id = r.id;
  END LOOP;
END $kehu$`,
    raiseCounters,
  };
}

const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The numbers a pattern produced, read back: a regular expression capturing its date parts and its sequence, the
 * period built from the captures as the counter function builds it from the date, and the highest sequence of each
 * period upserted into the counters with GREATEST. Soft-deleted rows count: their numbers stay taken.
 */
function raiseCountersSql(
  entity: string,
  field: string,
  table: string,
  col: string,
  pattern: string,
  tokens: RegExpExecArray[],
): string {
  let regex = "^";
  let last = 0;
  let group = 0;
  const periodParts: string[] = [];
  let sequence = 0;
  for (const m of tokens) {
    regex += regexEscape(pattern.slice(last, m.index));
    group++;
    if (m[1] in DATE_FORMATS) {
      regex += m[1] === "YYYY" ? "([0-9]{4})" : "([0-9]{2})";
      periodParts.push(`m[${group}]`);
    } else {
      regex += "([0-9]{1,18})";
      sequence = group;
    }
    last = m.index + m[0].length;
  }
  regex += `${regexEscape(pattern.slice(last))}$`;
  const period = periodParts.length ? periodParts.join(" || '-' || ") : "''";
  return `INSERT INTO kehu.autonumber_counters AS c (entity, field, period, value)
SELECT ${sqlTextLiteral(entity)}, ${sqlTextLiteral(field)}, period, max(n) FROM (
  SELECT ${period} AS period, m[${sequence}]::bigint AS n
  FROM (SELECT regexp_match(${col}, ${sqlTextLiteral(regex)}) AS m FROM ${table} WHERE ${col} IS NOT NULL) AS s
  WHERE m IS NOT NULL
) AS numbers GROUP BY period
ON CONFLICT (entity, field, period) DO UPDATE SET value = GREATEST(c.value, EXCLUDED.value)`;
}
