/** Quotes a SQL identifier. Names come from validated metadata, but quoting keeps that a second line of defence. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The qualified table of an entity: `data."customer"`. */
export function entityTable(entity: string): string {
  return `data.${quoteIdent(entity)}`;
}

/** The knex form of an entity table, for the query builder: `data.customer`. */
export function entityTableRef(entity: string): string {
  return `data.${entity}`;
}

/** Name of the column that holds a money field's currency. Field names cannot contain `__`. */
export function currencyColumn(field: string): string {
  return `${field}__currency`;
}

/** The generated column that concatenates an entity's searchable text. */
export const SEARCH_COLUMN = "_search";
