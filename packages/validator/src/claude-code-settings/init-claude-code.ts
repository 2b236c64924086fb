import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import {
  detectClaudeCode,
  formatVersion,
  type InstalledClaudeCode,
  isAtLeast,
} from "./claude-code-version.js";
import { type HooksChange, mergeHooks, removeHooks } from "./hook-entries.js";
import { type HookKind, HTTP_HOOKS_SINCE, isPatternloopHook, patternloopHooks } from "./patternloop-hooks.js";
import { formatSettings, parseSettings } from "./settings-document.js";
import { writeFileAtomically } from "./write-file-atomically.js";

export interface InitClaudeCodeOptions {
  /** The project whose `.claude/settings.json` to change; ignored with `user`. */
  projectDir: string;
  /** Change `~/.claude/settings.json` (every project of this user) instead. */
  user: boolean;
  /** The receiver's hook URL. */
  url: string;
  /** `command` forces the curl fallback; left out, the installed Claude Code's version decides. */
  kind?: HookKind;
  /** Take patternloop's hooks out instead of putting them in. */
  remove: boolean;
  /** Work out the resulting settings; write nothing. */
  dryRun: boolean;
  /** Asks the installed Claude Code its version (`claude --version` by default). */
  detect?: () => InstalledClaudeCode;
}

/** What happened to the settings file (or would have, on a dry run). */
export type SettingsAction = "create" | "update" | "unchanged" | "delete";

export type InitClaudeCodeResult =
  | {
      ok: true;
      path: string;
      action: SettingsAction;
      /** The settings file's resulting text (empty when it is deleted or was never there). */
      text: string;
      /** The kind of hooks written (not set by `remove`). */
      kind?: HookKind;
      /** The events that now have patternloop's hook (none after `remove`). */
      events: string[];
      /** Things the user should know: the version check, events left out. */
      notes: string[];
    }
  | { ok: false; problem: string };

/**
 * Puts patternloop's hooks into a Claude Code settings file, or takes them out again, keeping every other
 * hook, matcher, permission and setting. Doing it twice changes nothing (the file stays byte for byte the
 * same); taking them out leaves the file as it was before, and deletes it when nothing else is left in it
 * (it was `init` that created it). Settings that are not a JSON object are refused and left untouched.
 */
export function initClaudeCode(options: InitClaudeCodeOptions): InitClaudeCodeResult {
  const url = checkUrl(options.url);
  if (!url.ok) return url;
  let path: string;
  if (options.user) path = join(homedir(), ".claude", "settings.json");
  else {
    const root = resolve(options.projectDir);
    if (!existsSync(root) || !statSync(root).isDirectory())
      return { ok: false, problem: `${root}: no such directory` };
    path = join(root, ".claude", "settings.json");
  }
  const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  const parsed = parseSettings(current);
  if (!parsed.ok) return { ok: false, problem: `${path} ${parsed.problem}; nothing written` };
  const { document } = parsed;
  const notes: string[] = [];

  let change: HooksChange;
  let kind: HookKind | undefined;
  let events: string[] = [];
  if (options.remove) change = removeHooks(document.settings, { isOurs: isPatternloopHook });
  else {
    const installed = (options.detect ?? detectClaudeCode)();
    kind = chooseKind(options.kind, installed, notes);
    const version = installed.found ? installed.version : undefined;
    const hooks = patternloopHooks(url.url, kind, version);
    for (const { event, since } of hooks.leftOut)
      notes.push(
        `left out ${event}: Claude Code ${version === undefined ? "" : formatVersion(version)} predates it (${since}) and would skip a settings file naming it; run init again after upgrading`,
      );
    events = hooks.entries.map((entry) => entry.event);
    change = mergeHooks(document.settings, hooks.entries, {
      isOurs: isPatternloopHook,
      whenDifferent: "replace",
    });
  }
  if (!change.ok) return { ok: false, problem: `${path} ${change.problem}; nothing written` };

  const result = { ok: true as const, path, kind, events, notes };
  if (!change.changed) return { ...result, action: "unchanged", text: current ?? "" };
  if (options.remove && Object.keys(change.settings).length === 0) {
    if (!options.dryRun) rmSync(path);
    return { ...result, action: "delete", text: "" };
  }
  const text = formatSettings({ ...document, settings: change.settings });
  if (!options.dryRun) writeFileAtomically(path, text);
  return { ...result, action: current === undefined ? "create" : "update", text };
}

/** `--command` when asked for; else http, unless the installed Claude Code is too old for it. */
function chooseKind(asked: HookKind | undefined, installed: InstalledClaudeCode, notes: string[]): HookKind {
  if (!installed.found) {
    notes.push(
      `${installed.reason}: cannot check the Claude Code version; ${asked === "command" ? "writing command hooks as asked" : "writing http hooks, which need Claude Code 2.1.63 or later (--command for older versions)"}`,
    );
    return asked ?? "http";
  }
  if (asked !== undefined) return asked;
  if (isAtLeast(installed.version, HTTP_HOOKS_SINCE)) return "http";
  notes.push(
    `Claude Code ${formatVersion(installed.version)} predates http hooks (2.1.63): writing command hooks that post with curl`,
  );
  return "command";
}

function checkUrl(text: string): { ok: true; url: string } | { ok: false; problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `--url ${JSON.stringify(text)} is not a URL` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, problem: `--url ${JSON.stringify(text)} is not an http or https URL` };
  return { ok: true, url: text };
}
