/**
 * The project a run came from, as its record names it: `project`, else the repository of its `source`
 * (`source.repo` or `source.repository`, as `owner/name`), else its working directory (`source.cwd`, or the
 * `cwd` a Claude Code hook payload carries). Undefined when the record names none.
 *
 * @example projectOfRecord({ source: { repo: "acme/shop", cwd: "/home/dev/shop" } }) // "acme/shop"
 * @example projectOfRecord({ cwd: "/home/dev/shop" }) // "/home/dev/shop"
 */
export function projectOfRecord(record: unknown): string | undefined {
  if (record === null || typeof record !== "object") return undefined;
  const { project, source, cwd } = record as Record<string, unknown>;
  const named = text(project);
  if (named !== undefined) return named;
  if (source !== null && typeof source === "object") {
    const { repo, repository, cwd: sourceCwd } = source as Record<string, unknown>;
    const fromSource = text(repo) ?? text(repository) ?? text(sourceCwd);
    if (fromSource !== undefined) return fromSource;
  }
  return text(cwd);
}

function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}
