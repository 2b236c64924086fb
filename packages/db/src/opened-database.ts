import type { Kysely } from "kysely";
import type { Database } from "./schema/database.js";

/** The two engines behind one schema (§8). */
export type DatabaseEngine = "sqlite" | "postgres";

/** A connection that passed its checks but is not migrated yet. */
export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /** Normalized, password-redacted URL. */
  readonly url: string;
  /** Schema of kysely's migration tables (PostgreSQL); undefined on SQLite. */
  readonly migrationSchema: string | undefined;
  /** Settings that write to the database (SQLite's WAL switch), applied only once migration succeeded. */
  afterMigrate(): Promise<void>;
  /** Closes the connection and removes whatever opening created; used when a later step fails. */
  discard(): Promise<void>;
  /**
   * SQLite files only: closes the file and returns a private in-memory copy of it, which can be migrated
   * and written without the file ever changing. Undefined where there is no such thing (PostgreSQL).
   */
  readonly copyInMemory?: () => Promise<OpenedDatabase>;
}
