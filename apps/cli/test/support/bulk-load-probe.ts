import { createRequire } from "node:module";

/** The few better-sqlite3 calls the probe needs (its types belong to packages/db). */
interface ProbeDatabase {
  prepare(sql: string): { all(): Record<string, unknown>[]; get(): Record<string, unknown> | undefined };
  exec(sql: string): void;
  close(): void;
}
type DatabaseConstructor = new (
  path: string,
  options: { readonly?: boolean; fileMustExist: boolean; timeout?: number },
) => ProbeDatabase;

// The driver is a dependency of packages/db, not of the CLI: resolve it from there.
const requireFromDb = createRequire(import.meta.resolve("@patternloop/db"));
const BetterSqlite3 = requireFromDb("better-sqlite3") as DatabaseConstructor;

/** The secondary indexes of `pattern_occurrences` that a large first backfill builds at the end. */
export const DEFERRED_INDEXES = [
  "pattern_occurrences_pattern_id_time_cost_idx",
  "pattern_occurrences_workflow_id_idx",
];

/** What a probe saw of a backfill's database at one moment. */
export interface BulkLoadState {
  /** Finished runs recorded (processed marker set). */
  processed: number;
  /** How many of {@link DEFERRED_INDEXES} exist. */
  deferredIndexes: number;
}

/**
 * Watches a backfill's SQLite file from the test, on connections of its own: a read-only one that sees
 * what is committed, and a writer that takes the write lock without waiting, so that a test can tell (and
 * hold) the moment between two of the backfill's transactions.
 */
export class BulkLoadProbe {
  private readonly reader: ProbeDatabase;
  private readonly writer: ProbeDatabase;

  constructor(path: string) {
    this.reader = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    this.writer = new BetterSqlite3(path, { fileMustExist: true, timeout: 0 });
  }

  /** The committed state, read without any lock. */
  read(): BulkLoadState {
    return stateOf(this.reader);
  }

  /**
   * Takes the write lock if it is free, and returns the state seen under it: the backfill can commit
   * nothing until {@link unlock}. Undefined, without waiting, when another connection holds the lock.
   */
  tryLock(): BulkLoadState | undefined {
    try {
      this.writer.exec("begin immediate");
    } catch (error) {
      if (/busy|locked/i.test(String(error))) return undefined;
      throw error;
    }
    return stateOf(this.writer);
  }

  unlock(): void {
    this.writer.exec("rollback");
  }

  close(): void {
    this.reader.close();
    this.writer.close();
  }
}

function stateOf(db: ProbeDatabase): BulkLoadState {
  const runs = db.prepare("select count(patterns_processed_at) as processed from workflow_history").get() as {
    processed: number;
  };
  const indexes = db
    .prepare(
      `select count(*) as n from sqlite_master
       where type = 'index' and name in (${DEFERRED_INDEXES.map((name) => `'${name}'`).join(", ")})`,
    )
    .get() as { n: number };
  return { processed: Number(runs.processed), deferredIndexes: Number(indexes.n) };
}

/** Every index of the file, with the statement that made it, by name. */
export function indexSchema(path: string): string[] {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("select tbl_name, name, sql from sqlite_master where type = 'index' order by name")
      .all()
      .map((row) => JSON.stringify(row));
  } finally {
    db.close();
  }
}
