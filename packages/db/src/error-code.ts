/** The string `code` of a Node, SQLite or PostgreSQL error (`ENOENT`, `SQLITE_BUSY`, `28P01`), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/**
 * A one-line description of any thrown value. An `AggregateError` (Node's happy-eyeballs connect to
 * `localhost` throws one with an empty message) is described by its inner errors.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") {
    return error.errors.map(errorMessage).join("; ") || (errorCode(error) ?? "unknown error");
  }
  if (error instanceof Error) return (error.message || errorCode(error) || error.name).split("\n")[0] ?? "";
  return String(error);
}
