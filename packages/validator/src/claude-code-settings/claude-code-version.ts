import { execFileSync } from "node:child_process";

/** A Claude Code version, as `claude --version` prints it (`2.1.63 (Claude Code)`). */
export interface ClaudeCodeVersion {
  major: number;
  minor: number;
  patch: number;
}

/** What `claude --version` said: a version, no `claude` on PATH, or something that is not a version. */
export type InstalledClaudeCode =
  | { found: true; version: ClaudeCodeVersion; text: string }
  | { found: false; reason: string };

/** The first `x.y.z` in the text, or `undefined`. */
export function parseClaudeCodeVersion(text: string): ClaudeCodeVersion | undefined {
  const found = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (found === null) return undefined;
  return { major: Number(found[1]), minor: Number(found[2]), patch: Number(found[3]) };
}

/** Whether `version` is `floor` or later. */
export function isAtLeast(version: ClaudeCodeVersion, floor: ClaudeCodeVersion): boolean {
  if (version.major !== floor.major) return version.major > floor.major;
  if (version.minor !== floor.minor) return version.minor > floor.minor;
  return version.patch >= floor.patch;
}

export function formatVersion(version: ClaudeCodeVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

/**
 * Asks the `claude` on PATH for its version. Never throws: a missing program, one that fails or hangs, or
 * output without a version is an answer too, with the reason.
 */
export function detectClaudeCode(env: NodeJS.ProcessEnv = process.env): InstalledClaudeCode {
  let output: string;
  try {
    output = execFileSync("claude", ["--version"], {
      encoding: "utf8",
      env,
      timeout: 10_000,
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      found: false,
      reason: code === "ENOENT" ? "`claude` is not on PATH" : "`claude --version` failed",
    };
  }
  const text = output.trim();
  const version = parseClaudeCodeVersion(text);
  if (version === undefined)
    return {
      found: false,
      reason: `\`claude --version\` printed no version (${JSON.stringify(text.slice(0, 80))})`,
    };
  return { found: true, version, text };
}
