import { type DatabaseConnection, type PostgresDialectConfig, PostgresDriver } from "kysely";
import { withTypedErrors } from "../typed-error-connection.js";
import { postgresStorageError } from "./postgres-storage-error.js";

/**
 * Kysely's PostgreSQL driver, except that failures of the server (a lock timeout, a full disk, a read-only
 * server, a lost connection) come out as `PatternloopDbError`s naming `url`, as they do on SQLite.
 */
export class TypedErrorPostgresDriver extends PostgresDriver {
  readonly #url: string;

  constructor(config: PostgresDialectConfig, url: string) {
    super(config);
    this.#url = url;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const typed = (error: unknown) => postgresStorageError(error, this.#url);
    let connection: DatabaseConnection;
    try {
      connection = await super.acquireConnection();
    } catch (error) {
      throw typed(error) ?? error;
    }
    return withTypedErrors(connection, typed);
  }
}
