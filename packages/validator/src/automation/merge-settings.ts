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

type Json = Record<string, unknown>;

/**
 * Adds a `PreToolUse` hook on `Bash` and an allow rule to a Claude Code settings file's text, keeping every
 * other setting, hook and permission as it was. A hook already naming the steering script (however the
 * user changed it) and a rule already there are left alone, so merging twice changes nothing. Text that is
 * not a settings object is refused, not replaced.
 */
export function mergeSteeringHook(existing: string | undefined, hook: SteeringHook): MergedSettings {
  let settings: Json = {};
  if (existing !== undefined && existing.trim() !== "") {
    try {
      settings = JSON.parse(existing);
    } catch {
      return { ok: false, problem: "is not valid JSON" };
    }
    if (!isObject(settings)) return { ok: false, problem: "is not a JSON object" };
  }
  const hooks = settings.hooks ?? {};
  if (!isObject(hooks)) return { ok: false, problem: "has a `hooks` that is not an object" };
  const preToolUse = hooks.PreToolUse ?? [];
  if (!Array.isArray(preToolUse))
    return { ok: false, problem: "has a `hooks.PreToolUse` that is not a list" };
  const permissions = settings.permissions ?? {};
  if (!isObject(permissions)) return { ok: false, problem: "has a `permissions` that is not an object" };
  const allow = permissions.allow ?? [];
  if (!Array.isArray(allow)) return { ok: false, problem: "has a `permissions.allow` that is not a list" };

  const present = preToolUse.some(
    (group) =>
      isObject(group) &&
      Array.isArray(group.hooks) &&
      group.hooks.some(
        (h) => isObject(h) && typeof h.command === "string" && h.command.includes(hook.marker),
      ),
  );
  const allowed = allow.includes(hook.allow);
  if (present && allowed) return { ok: true, text: existing ?? "", changed: false };
  const merged: Json = {
    ...settings,
    permissions: { ...permissions, allow: allowed ? allow : [...allow, hook.allow] },
    hooks: {
      ...hooks,
      PreToolUse: present
        ? preToolUse
        : [
            ...preToolUse,
            { matcher: "Bash", hooks: [{ type: "command", command: hook.command, timeout: 10 }] },
          ],
    },
  };
  return { ok: true, text: `${JSON.stringify(merged, null, 2)}\n`, changed: true };
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
