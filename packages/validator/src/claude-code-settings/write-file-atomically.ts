import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Replaces a file's text all at once: a temporary file beside it is renamed over it, so a reader (Claude Code
 * starting up) sees the old text or the new, never half. A symlinked file (settings kept in a dotfiles
 * repository) has its target replaced and stays a link; an existing file keeps its permissions.
 */
export function writeFileAtomically(path: string, text: string): void {
  const existed = existsSync(path);
  const target = existed ? realpathSync(path) : path;
  mkdirSync(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, text, { flag: "wx" });
    if (existed) chmodSync(temporary, statSync(target).mode & 0o7777);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
