import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type PatternloopDatabase, patternDetails, recordToolScript } from "@patternloop/db";
import { changeStatus, type StatusChangeResult } from "../lifecycle/automation-status.js";
import { activateUsedScripts } from "./activate-used-scripts.js";
import { isUnedited } from "./file-marker.js";
import { mergeSteeringHook } from "./merge-settings.js";
import { chooseScriptCommand } from "./script-command.js";
import { type AutomationFile, renderSkillFiles, skillPaths } from "./skill-files.js";
import { usualDirectory } from "./usual-directory.js";

export interface AutomateOptions {
  /** The project to write into (its root). */
  projectDir: string;
  /** Also merge a `PreToolUse` hook steering raw commands to the script into `.claude/settings.json`. */
  hook: boolean;
  /** Say what would be written; write nothing and change nothing. */
  dryRun: boolean;
  /** Overwrite files the user edited since `automate` wrote them. */
  force: boolean;
  /** Who marks the pattern implemented. */
  by: string;
}

/** What happens to one file: written new, rewritten (ours, or edited and forced), or left as it is. */
export type FileAction = "create" | "update" | "overwrite" | "unchanged";

export interface PlannedFile extends AutomationFile {
  action: FileAction;
}

export type AutomateResult =
  | {
      ok: true;
      pattern_signature: string;
      script_path: string;
      files: PlannedFile[];
      /** The status moves made (none on a dry run or when nothing was due). */
      status_changes: StatusChangeResult[];
    }
  | { ok: false; problem: string };

const AUTOMATABLE = ["approved", "implemented", "active"];
const SETTINGS = ".claude/settings.json";

/**
 * Turns an approved pattern into a Claude Code skill in a project: SKILL.md and a script running the
 * pattern's most common command with a short summary, optionally a steering hook merged into the project's
 * settings. Everything is checked before anything is written, so a refusal leaves the project and the
 * database as they were. Then the pattern records its script and becomes `implemented`, and `active` once a
 * stored run is seen calling the script (checked on every run of `automate`).
 */
export async function automatePattern(
  database: PatternloopDatabase,
  signature: string,
  options: AutomateOptions,
): Promise<AutomateResult> {
  const details = await patternDetails(database.db, signature);
  if (details === undefined) return { ok: false, problem: `no pattern ${JSON.stringify(signature)}` };
  const { pattern } = details;
  if (!AUTOMATABLE.includes(pattern.automation_status))
    return {
      ok: false,
      problem: `${pattern.pattern_signature} is ${pattern.automation_status}: only an approved pattern can be automated (review approve)`,
    };
  const command = chooseScriptCommand(details.commands);
  if (command === undefined)
    return {
      ok: false,
      problem: `${pattern.pattern_signature} has no command a script can run (its commands carry the agent's own text or values, or none ran)`,
    };
  const root = resolve(options.projectDir);
  const files: AutomationFile[] = renderSkillFiles(
    {
      signature: pattern.pattern_signature,
      occurrences: pattern.occurrence_count,
      command,
      directory: usualDirectory(root, command.directories, command.runs),
    },
    options.hook,
  );
  const paths = skillPaths(pattern.pattern_signature);
  const planned: PlannedFile[] = [];
  const edited: string[] = [];
  for (const file of files) {
    const action = actionFor(join(root, file.path), file.content, options.force);
    if (action === "edited") edited.push(file.path);
    else planned.push({ ...file, action });
  }
  if (edited.length > 0)
    return {
      ok: false,
      problem: `${edited.join(", ")} in ${root} changed since patternloop wrote ${edited.length === 1 ? "it" : "them"}; --force overwrites`,
    };
  if (options.hook) {
    const current = readIfExists(join(root, SETTINGS));
    const merged = mergeSteeringHook(current, {
      command: `"$CLAUDE_PROJECT_DIR"/${paths.steer}`,
      marker: paths.steer,
      allow: `Bash(${paths.script}:*)`,
    });
    if (!merged.ok)
      return { ok: false, problem: `${join(root, SETTINGS)} ${merged.problem}; fix it or leave out --hook` };
    planned.push({
      path: SETTINGS,
      content: merged.text,
      executable: false,
      action: !merged.changed ? "unchanged" : current === undefined ? "create" : "update",
    });
  }
  const result = {
    ok: true as const,
    pattern_signature: pattern.pattern_signature,
    script_path: paths.script,
  };
  if (options.dryRun) return { ...result, files: planned, status_changes: [] };

  for (const file of planned) {
    if (file.action === "unchanged") continue;
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    if (file.executable) chmodSync(target, 0o755);
  }
  if (pattern.tool_script_path !== paths.script)
    await recordToolScript(database.db, pattern.pattern_signature, paths.script);
  const moves: StatusChangeResult[] = [];
  let status = pattern.automation_status;
  if (status === "approved") {
    moves.push(
      await changeStatus(database, pattern.pattern_signature, "implemented", {
        by: options.by,
        note: `automated: ${paths.script}`,
      }),
    );
    status = "implemented";
  }
  if (status === "implemented")
    moves.push(
      ...(await activateUsedScripts(database)).filter(
        (move) => move.pattern_signature === pattern.pattern_signature,
      ),
    );
  return { ...result, files: planned, status_changes: moves };
}

/**
 * What writing `content` to `target` would do: nothing when it is there already; a rewrite when the file is
 * one `automate` wrote and nobody edited; `edited` (refused) for any other existing file unless forced.
 */
function actionFor(target: string, content: string, force: boolean): FileAction | "edited" {
  const current = readIfExists(target);
  if (current === undefined) return "create";
  if (current === content) return "unchanged";
  if (isUnedited(current)) return "update";
  return force ? "overwrite" : "edited";
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}
