import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join, resolve } from "node:path";
import { PatternloopIngestError } from "../ingest-error.js";

/**
 * Where Claude Code keeps session transcripts: `~/.claude/projects`, `~/.config/claude/projects` (newer
 * versions on Linux) and `$CLAUDE_CONFIG_DIR/projects`, in that order, without duplicates.
 */
export function defaultTranscriptDirs(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string[] {
  const candidates = [join(home, ".claude", "projects"), join(home, ".config", "claude", "projects")];
  if (env.CLAUDE_CONFIG_DIR) candidates.push(join(resolve(env.CLAUDE_CONFIG_DIR), "projects"));
  return [...new Set(candidates)];
}

/** The directories to read: the ones given (each must exist), else the defaults that exist. */
export function transcriptDirs(given: readonly string[] | undefined): { dirs: string[]; defaults: boolean } {
  if (given !== undefined && given.length > 0) {
    for (const dir of given) {
      if (!existsSync(dir)) throw new PatternloopIngestError("bad_directory", `directory not found: ${dir}`);
      if (!statSync(dir).isDirectory())
        throw new PatternloopIngestError("bad_directory", `not a directory: ${dir}`);
    }
    return { dirs: unique(given.map((dir) => resolve(dir))), defaults: false };
  }
  const candidates = defaultTranscriptDirs();
  const dirs = unique(candidates.filter((dir) => existsSync(dir) && statSync(dir).isDirectory()));
  if (dirs.length === 0)
    throw new PatternloopIngestError(
      "bad_directory",
      `no Claude Code transcripts: none of ${candidates.join(", ")} exists; pass --dir DIR`,
    );
  return { dirs, defaults: true };
}

/**
 * Every `*.jsonl` under the directories, recursively (subagent transcripts in `<session>/subagents/` too),
 * as absolute paths, sorted, each file once even when reachable twice. Symbolic links to directories are
 * not followed, so a loop cannot trap the walk.
 */
export function findTranscripts(dirs: readonly string[]): string[] {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".jsonl") && (entry.isFile() || isFileLink(path))) {
        const real = realPath(path);
        if (!found.has(real)) found.set(real, path);
      }
    }
  };
  for (const dir of dirs) walk(dir);
  return [...found.values()].sort();
}

/** A subagent's transcript (`agent-<id>.jsonl`), kept apart from its session's by Claude Code 2.x. */
export function isSubagentTranscript(path: string): boolean {
  return basename(path).startsWith("agent-");
}

function isFileLink(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function unique(dirs: readonly string[]): string[] {
  const seen = new Set<string>();
  return dirs.filter((dir) => {
    const real = realPath(dir);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}
