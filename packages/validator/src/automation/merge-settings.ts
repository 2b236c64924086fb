import { mergeHooks } from "../claude-code-settings/hook-entries.js";
import { formatSettings, isJsonObject, parseSettings } from "../claude-code-settings/settings-document.js";

/** The steering hook to merge into `.claude/settings.json`. */
export interface SteeringHook {
  /** The hook's command (runs the steering script). */
  command: string;
  /** Identifies the hook as this automation's even after the user reworded its command. */
  marker: string;
  /** The permission rule that lets the agent run the script it is steered to without asking. */
  allow: string;
}

export type MergedSettings = { ok: true; text: string; changed: boolean } | { ok: false; problem: string };

/**
 * Adds a `PreToolUse` hook on `Bash` and an allow rule to a Claude Code settings file's text, keeping every
 * other setting, hook and permission as it was. A hook already naming the steering script (however the
 * user changed it) and a rule already there are left alone, so merging twice changes nothing. Text that is
 * not a settings object is refused, not replaced.
 */
export function mergeSteeringHook(existing: string | undefined, hook: SteeringHook): MergedSettings {
  const parsed = parseSettings(existing);
  if (!parsed.ok) return parsed;
  const { document } = parsed;
  const permissions = document.settings.permissions ?? {};
  if (!isJsonObject(permissions)) return { ok: false, problem: "has a `permissions` that is not an object" };
  const allow = permissions.allow ?? [];
  if (!Array.isArray(allow)) return { ok: false, problem: "has a `permissions.allow` that is not a list" };

  const allowed = allow.includes(hook.allow);
  const withRule = allowed
    ? document.settings
    : { ...document.settings, permissions: { ...permissions, allow: [...allow, hook.allow] } };
  const merged = mergeHooks(
    withRule,
    [
      {
        event: "PreToolUse",
        matcher: "Bash",
        handler: { type: "command", command: hook.command, timeout: 10 },
      },
    ],
    {
      isOurs: (handler) => typeof handler.command === "string" && handler.command.includes(hook.marker),
      whenDifferent: "keep",
    },
  );
  if (!merged.ok) return merged;
  if (!merged.changed && allowed) return { ok: true, text: existing ?? "", changed: false };
  return { ok: true, text: formatSettings({ ...document, settings: merged.settings }), changed: true };
}
