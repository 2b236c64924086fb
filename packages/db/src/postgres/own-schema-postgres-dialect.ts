import {
  type DatabaseIntrospector,
  type Driver,
  type Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
} from "kysely";
import { OwnSchemaIntrospector } from "./own-schema-introspector.js";
import { TypedErrorPostgresDriver } from "./typed-error-postgres-driver.js";

/**
 * A PostgreSQL dialect whose introspection sees one schema only: ours, and whose driver throws the server's
 * failures as typed errors naming `url` ({@link TypedErrorPostgresDriver}).
 *
 * Kysely's own PostgreSQL introspector reads the tables of every schema in the database and resolves each by
 * name (`pg_get_serial_sequence`). Its `Migrator` asks it whether the migration tables exist, so a table or
 * schema that another client drops during that read (42P01 or 3F000, naming someone else's schema) failed our
 * migration. Reading only our schema cannot race with anyone else's, and is faster on a shared server.
 */
export class OwnSchemaPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  readonly #schema: string;
  readonly #url: string;

  constructor(config: PostgresDialectConfig, schema: string, url: string) {
    super(config);
    this.#config = Object.freeze({ ...config });
    this.#schema = schema;
    this.#url = url;
  }

  override createDriver(): Driver {
    return new TypedErrorPostgresDriver(this.#config, this.#url);
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db, this.#schema);
  }
}
