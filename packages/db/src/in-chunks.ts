/**
 * Values per `in (…)` list, or rows per statement: well under SQLite's and PostgreSQL's limits on bound
 * parameters, and large enough that each round trip is worth it.
 */
export const IN_LIST_SIZE = 500;

/**
 * Consecutive slices of `list`, in order, of at most `size` items each (the last one may be shorter): one
 * statement's worth at a time. Nothing for an empty list.
 */
export function* inChunks<T>(list: readonly T[], size: number = IN_LIST_SIZE): Generator<T[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a whole number ≥ 1, not ${size}`);
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}
