import { isJsonObject, type JsonObject } from "./settings-document.js";

/** One hook handler to have in a settings file, under an event and, for tool events, a matcher. */
export interface HookEntry {
  event: string;
  /** Left out for events that take no matcher. */
  matcher?: string;
  /** The handler object itself: `{ "type": "http", "url": … }` or `{ "type": "command", … }`. */
  handler: JsonObject;
}

export interface HookOwnership {
  /** Tells the handlers the caller owns from everybody else's, by their content, never by their position. */
  isOurs: (handler: JsonObject) => boolean;
  /**
   * What to do when one of ours is there but differs from the entry: `keep` it (the user reworded it) or
   * `replace` it in place (the receiver's address or the hook's kind changed).
   */
  whenDifferent: "keep" | "replace";
}

export type HooksChange =
  | { ok: true; settings: JsonObject; changed: boolean }
  | { ok: false; problem: string };

/**
 * Puts each entry's handler into `settings.hooks`, keeping every other hook, matcher and setting where it
 * was. An event that has none of ours gets a new group at its end; one that has ours keeps it in its place
 * (replaced when it differs and the ownership says so, duplicates of ours dropped). Merging the same entries
 * twice changes nothing. The settings passed in are not modified.
 */
export function mergeHooks(
  settings: JsonObject,
  entries: HookEntry[],
  ownership: HookOwnership,
): HooksChange {
  const merged = structuredClone(settings);
  const hooks = merged.hooks ?? {};
  if (!isJsonObject(hooks)) return { ok: false, problem: "has a `hooks` that is not an object" };
  let changed = false;
  for (const entry of entries) {
    const groups = hooks[entry.event] ?? [];
    if (!Array.isArray(groups))
      return { ok: false, problem: `has a \`hooks.${entry.event}\` that is not a list` };
    const ours = findOurs(groups, ownership.isOurs);
    const [first, ...duplicates] = ours;
    if (first === undefined) {
      groups.push(
        entry.matcher === undefined
          ? { hooks: [entry.handler] }
          : { matcher: entry.matcher, hooks: [entry.handler] },
      );
    } else if (
      ownership.whenDifferent === "keep" ||
      (duplicates.length === 0 && sameJson(first.handler, entry.handler))
    ) {
      continue;
    } else {
      first.handlers[first.index] = entry.handler;
      for (const duplicate of duplicates.reverse()) duplicate.handlers.splice(duplicate.index, 1);
      dropEmptiedGroups(groups, duplicates);
    }
    hooks[entry.event] = groups;
    changed = true;
  }
  if (!changed) return { ok: true, settings, changed: false };
  merged.hooks = hooks;
  return { ok: true, settings: merged, changed: true };
}

/**
 * Takes every handler of ours out of `settings.hooks`, under any event. A group, an event or `hooks` itself
 * left empty by that goes too, so that taking out what `mergeHooks` added gives back the settings as they
 * were; groups and events that were empty before are left alone.
 */
export function removeHooks(settings: JsonObject, ownership: Pick<HookOwnership, "isOurs">): HooksChange {
  if (settings.hooks === undefined) return { ok: true, settings, changed: false };
  if (!isJsonObject(settings.hooks)) return { ok: false, problem: "has a `hooks` that is not an object" };
  const removed = structuredClone(settings);
  const hooks = removed.hooks as JsonObject;
  let changed = false;
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    const ours = findOurs(groups, ownership.isOurs);
    if (ours.length === 0) continue;
    for (const found of [...ours].reverse()) found.handlers.splice(found.index, 1);
    dropEmptiedGroups(groups, ours);
    if (groups.length === 0) delete hooks[event];
    changed = true;
  }
  if (!changed) return { ok: true, settings, changed: false };
  if (Object.keys(hooks).length === 0) delete removed.hooks;
  return { ok: true, settings: removed, changed: true };
}

interface FoundHandler {
  /** The `hooks` list of the group it is in. */
  handlers: unknown[];
  index: number;
  handler: JsonObject;
}

/** Our handlers in an event's groups, in file order. Groups of a shape Claude Code would refuse are skipped. */
function findOurs(groups: unknown[], isOurs: (handler: JsonObject) => boolean): FoundHandler[] {
  const found: FoundHandler[] = [];
  for (const group of groups) {
    if (!isJsonObject(group) || !Array.isArray(group.hooks)) continue;
    const handlers = group.hooks;
    handlers.forEach((handler, index) => {
      if (isJsonObject(handler) && isOurs(handler)) found.push({ handlers, index, handler });
    });
  }
  return found;
}

/** Drops the groups whose handler list was emptied just now by taking out `taken`. */
function dropEmptiedGroups(groups: unknown[], taken: FoundHandler[]): void {
  const emptied = new Set(taken.map((found) => found.handlers).filter((handlers) => handlers.length === 0));
  for (let index = groups.length - 1; index >= 0; index--) {
    const group = groups[index];
    if (isJsonObject(group) && emptied.has(group.hooks as unknown[])) groups.splice(index, 1);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
