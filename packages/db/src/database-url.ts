import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PatternloopDbError } from "./patternloop-db-error.js";
import { assertPostgresParameter } from "./postgres/postgres-url-parameters.js";

/** Where a database URL points, once parsed. */
export type DatabaseLocation = SqliteLocation | PostgresLocation;

/** An SQLite database: an absolute file path, or `:memory:`. */
export interface SqliteLocation {
  readonly engine: "sqlite";
  readonly path: string;
  /** `sqlite:<absolute path>` or `:memory:`. */
  readonly url: string;
}

/** A PostgreSQL database, optionally confined to one schema. */
export interface PostgresLocation {
  readonly engine: "postgres";
  /** The URL handed to `pg`, without the `schema` and `options` parameters. */
  readonly connectionString: string;
  /** The schema named by `?schema=`, if any. */
  readonly schema: string | undefined;
  /** libpq `options` from the URL (`-c name=value …`), merged with the `search_path` of `schema` at connect. */
  readonly options: string | undefined;
  /** The URL with its password replaced by `***`. */
  readonly url: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Parses a database URL. Accepted forms: a plain file path, `sqlite:path`, `sqlite://path`
 * (`sqlite:///abs/path`), `file:path`, `file:///abs/path`, `:memory:`, and
 * `postgres://…` / `postgresql://…` with an optional `?schema=name`. Relative paths are resolved against `cwd`.
 * A PostgreSQL `port`, `sslmode`, `ssl` or `connect_timeout` whose value `pg` would misread is refused.
 *
 * @throws {@link PatternloopDbError} `unknown_scheme` or `invalid_url`.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseLocation {
  const trimmed = url.trim();
  if (trimmed === "") throw new PatternloopDbError("invalid_url", "empty database URL");
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (C:\history.db), so it is a path.
  if (scheme === undefined || scheme.length === 1) return sqliteLocation(trimmed, cwd, url);
  const rest = trimmed.slice(scheme.length + 1);
  switch (scheme) {
    case "sqlite":
      return sqliteLocation(rest.startsWith("//") ? rest.slice(2) : rest, cwd, url);
    case "file":
      return sqliteLocation(rest.startsWith("//") ? filePath(trimmed) : rest, cwd, url);
    case "postgres":
    case "postgresql":
      return postgresLocation(trimmed);
    default:
      throw new PatternloopDbError(
        "unknown_scheme",
        `unsupported database URL scheme "${scheme}:" in ${redactUrl(trimmed)} (use a file path, sqlite:, file:, postgres: or postgresql:)`,
      );
  }
}

/**
 * Replaces the password of a URL (user-info or `password=` / `sslpassword=` parameter) with `***`, for
 * messages and logs. The user info ends at the last `@` that a host follows, so a password holding `@`, `:`,
 * `/`, `?` or `#` (percent-encoded or not) is hidden whole; where the URL is ambiguous, more is hidden, never
 * less.
 *
 * @example redactUrl("postgres://app:s3cret@db/prod") // "postgres://app:***@db/prod"
 */
export function redactUrl(url: string): string {
  return redactUserInfo(url).replace(/([?&](?:ssl)?password=)[^&]*/gi, "$1***");
}

const AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** What follows the `@` that ends a user info: a host (and port), then the end of the authority. */
const HOST = /^[^@/?#,]*(?:[/?#,]|$)/;

function redactUserInfo(url: string): string {
  const start = AUTHORITY.exec(url)?.[0].length;
  if (start === undefined) return url;
  let end = -1;
  for (let at = url.indexOf("@", start); at !== -1; at = url.indexOf("@", at + 1))
    if (HOST.test(url.slice(at + 1))) end = at;
  const colon = url.indexOf(":", start);
  if (end === -1 || colon === -1 || colon > end) return url;
  return `${url.slice(0, colon + 1)}***${url.slice(end)}`;
}

function sqliteLocation(path: string, cwd: string, original: string): SqliteLocation {
  if (path === "") throw new PatternloopDbError("invalid_url", `no file path in database URL "${original}"`);
  if (path === ":memory:") return { engine: "sqlite", path, url: ":memory:" };
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  return { engine: "sqlite", path: absolute, url: `sqlite:${absolute}` };
}

function filePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch (cause) {
    throw new PatternloopDbError("invalid_url", `invalid file URL "${url}"`, { cause });
  }
}

function postgresLocation(url: string): PostgresLocation {
  const redacted = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    // Node's URL error keeps the whole URL, password included, as `input`: whoever logs the cause sees it.
    if (cause instanceof Error && "input" in cause) cause.input = redacted;
    throw new PatternloopDbError("invalid_url", `invalid PostgreSQL URL ${redacted}`, { cause });
  }
  // The URL parser accepts port 0, on which no server listens.
  assertPostgresParameter("port", parsed.port, redacted);
  const queryStart = url.indexOf("?");
  if (queryStart === -1) {
    return {
      engine: "postgres",
      connectionString: url,
      schema: undefined,
      options: undefined,
      url: redacted,
    };
  }
  // Rebuilt by hand rather than through URLSearchParams so the other parameters keep their exact encoding.
  const hashStart = url.indexOf("#", queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  let schema: string | undefined;
  let options: string | undefined;
  const kept: string[] = [];
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = decodeComponent(equals === -1 ? pair : pair.slice(0, equals), redacted);
    const value = equals === -1 ? "" : decodeComponent(pair.slice(equals + 1), redacted);
    if (key === "schema") schema = value;
    else if (key === "options") options = value;
    else {
      assertPostgresParameter(key, value, redacted);
      kept.push(pair);
    }
  }
  if (schema !== undefined) assertSchemaName(schema, redacted);
  const base = url.slice(0, queryStart);
  const connectionString = kept.length === 0 ? base : `${base}?${kept.join("&")}`;
  return { engine: "postgres", connectionString, schema, options, url: redacted };
}

/** Throws `invalid_url` unless `schema` is a plain, unquoted PostgreSQL identifier. */
export function assertSchemaName(schema: string, where: string): void {
  if (!IDENTIFIER.test(schema)) {
    throw new PatternloopDbError(
      "invalid_url",
      `invalid schema "${schema}" for ${where} (use up to 63 lower-case letters, digits and _, not starting with a digit)`,
    );
  }
}

function decodeComponent(value: string, redacted: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch (cause) {
    throw new PatternloopDbError("invalid_url", `invalid percent-encoding in ${redacted}`, { cause });
  }
}
