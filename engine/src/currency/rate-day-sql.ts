import type { EntityDefinition } from "@kehu/schema";
import { quoteIdent } from "../storage/identifiers";

/**
 * The SQL of the day whose exchange rate converts a row's money: `created_at` or `updated_at` (their UTC day), or a
 * date or datetime field of the entity, falling back to the created_at day when that field is empty.
 *
 * @example
 * rateDaySql(payment, "paid_on", '"r"') // coalesce("r"."paid_on", ("r".created_at AT TIME ZONE 'UTC')::date)
 */
export function rateDaySql(entity: EntityDefinition, rateDate: string, row: string): string {
  const day = (column: string) => `(${row}.${column} AT TIME ZONE 'UTC')::date`;
  const created = day("created_at");
  if (rateDate === "created_at" || rateDate === "updated_at") return day(rateDate);
  const field = entity.fields.find((f) => f.name === rateDate);
  if (field?.type === "date") return `coalesce(${row}.${quoteIdent(field.name)}, ${created})`;
  if (field?.type === "datetime") return `coalesce(${day(quoteIdent(field.name))}, ${created})`;
  return created;
}
