/**
 * Whether output to `stream` may carry colour. `NO_COLOR` with any non-empty value turns it off wherever it is
 * produced (no-color.org), and `--no-color` sets `NO_COLOR` for the whole run; `FORCE_COLOR` (any value but
 * `0` or `false`) turns it on where the stream is not a terminal; otherwise colour goes only to a terminal
 * whose `TERM` is not `dumb`.
 */
export function useColour(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}
