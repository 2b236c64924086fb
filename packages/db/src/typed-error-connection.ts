import type { CompiledQuery, DatabaseConnection, QueryResult } from "kysely";
import type { StorageErrorOf } from "./storage-error.js";

const wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

/**
 * The same connection, except that an error its queries throw which `storageErrorOf` recognises is thrown as
 * that typed error instead (the driver's error as its `cause`); every other error goes through unchanged.
 * Everything else (a driver's private release method included) is the connection's own. One wrapper per
 * connection, so a driver that hands out the same connection again hands out the same wrapper.
 */
export function withTypedErrors(
  connection: DatabaseConnection,
  storageErrorOf: StorageErrorOf,
): DatabaseConnection {
  const known = wrapped.get(connection);
  if (known !== undefined) return known;
  const rethrow = (error: unknown): never => {
    throw storageErrorOf(error) ?? error;
  };
  // Not an async function: a query that succeeds costs one promise more, not an extra await. SQLite's
  // driver throws synchronously, PostgreSQL's rejects; both are caught.
  const executeQuery = <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
    let result: Promise<QueryResult<R>>;
    try {
      result = connection.executeQuery<R>(query);
    } catch (error) {
      return Promise.reject(storageErrorOf(error) ?? error);
    }
    return result.catch(rethrow);
  };
  async function* streamQuery<R>(query: CompiledQuery, chunkSize?: number) {
    try {
      yield* connection.streamQuery<R>(query, chunkSize);
    } catch (error) {
      rethrow(error);
    }
  }
  const typed = new Proxy(connection, {
    get(target, key) {
      if (key === "executeQuery") return executeQuery;
      if (key === "streamQuery") return streamQuery;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  wrapped.set(connection, typed);
  return typed;
}
