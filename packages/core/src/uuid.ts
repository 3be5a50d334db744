const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a value is a UUID (any case): record, user and task ids are. A path id that is not one cannot exist.
 *
 * @example
 * isUuid("0b6f2f0e-8f3c-4a8e-9d1b-2f6f0c1e2a3b") // true
 */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
