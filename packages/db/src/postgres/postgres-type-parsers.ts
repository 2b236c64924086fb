import pg from "pg";

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Type parsers for one pool (not pg's process-wide defaults) that return `bigint` / `count(*)` /
 * `sum(bigint)` (int8) and `numeric` as JS numbers, as better-sqlite3 does, so queries return the same
 * values on both engines. An int8 beyond `Number.MAX_SAFE_INTEGER` throws rather than losing digits.
 */
export function createPostgresTypeParsers(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  types.setTypeParser(NUMERIC_OID, Number);
  return types;
}

function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) {
    throw new RangeError(`bigint value ${value} cannot be represented exactly as a JS number`);
  }
  return parsed;
}
