/** Rows per multi-row insert: at up to 60 columns, under SQLite's 32,766 bound parameters. */
export const INSERT_CHUNK = 512;

/**
 * Row counts of the inserts that store `rows` rows, in order: full chunks, then powers of two. Any number of
 * rows takes statements of at most ten sizes, so the cache of prepared statements holds ten of them per
 * table, not one per batch size.
 */
export function chunkSizes(rows: number): number[] {
  const sizes: number[] = [];
  for (let left = rows; left > 0; ) {
    const size = left >= INSERT_CHUNK ? INSERT_CHUNK : 2 ** Math.floor(Math.log2(left));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** Row counts of the inserts that store `rows` rows: full chunks, then one with the rest. */
export function wholeChunkSizes(rows: number): number[] {
  const sizes: number[] = [];
  for (let left = rows; left > 0; left -= INSERT_CHUNK) sizes.push(Math.min(left, INSERT_CHUNK));
  return sizes;
}

/**
 * An engine's writer of `insert into <table> (<columns>) values (…), … <tail>` for `rows` rows with its
 * `placeholder`s, each text written once per table, size and tail and kept. Kysely's query builder compiles
 * every value of a multi-row insert as a node of its own: for the hundreds of values of a batch that costs
 * more than the database takes to insert them.
 */
export function multiRowInsertWriter(
  placeholder: (index: number) => string,
): (table: string, columns: readonly string[], rows: number, tail: string) => string {
  const texts = new Map<string, string>();
  return (table, columns, rows, tail) => {
    const key = `${table} ${rows} ${tail}`;
    let text = texts.get(key);
    if (text === undefined) {
      const width = columns.length;
      const tuples = Array.from(
        { length: rows },
        (_, row) => `(${columns.map((_, column) => placeholder(row * width + column)).join(", ")})`,
      );
      text = `insert into ${table} (${columns.join(", ")}) values ${tuples.join(", ")} ${tail}`;
      // Only the sizes `chunkSizes` gives are kept: any other (see `wholeChunkSizes`) would grow the map.
      if (rows === INSERT_CHUNK || (rows & (rows - 1)) === 0) texts.set(key, text);
    }
    return text;
  };
}
