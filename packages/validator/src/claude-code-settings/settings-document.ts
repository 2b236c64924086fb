import { jsonErrorOffset } from "./json-error-offset.js";

/** A JSON object as read from a settings file. */
export type JsonObject = Record<string, unknown>;

/** A settings file's object, with how its text was laid out so that writing it back changes only what changed. */
export interface SettingsDocument {
  settings: JsonObject;
  /** The indentation the file uses (two spaces for a new or one-line file). */
  indent: string;
  /** Whether the text ends with a newline (a new file does). */
  finalNewline: boolean;
}

export type ParsedSettings = { ok: true; document: SettingsDocument } | { ok: false; problem: string };

/**
 * Reads the text of a Claude Code settings file; `undefined` (no file) or blank text is an empty one. Text
 * that is not a JSON object is refused with the reason, never treated as empty: replacing it would lose the
 * user's settings.
 */
export function parseSettings(text: string | undefined): ParsedSettings {
  if (text === undefined || text.trim() === "")
    return { ok: true, document: { settings: {}, indent: "  ", finalNewline: true } };
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch {
    return { ok: false, problem: `is not valid JSON${whereParsingStopped(text)}` };
  }
  if (!isJsonObject(settings)) return { ok: false, problem: "is not a JSON object" };
  return {
    ok: true,
    document: { settings, indent: /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ", finalNewline: text.endsWith("\n") },
  };
}

/** The document's text, laid out as the file was. */
export function formatSettings(document: SettingsDocument): string {
  const text = JSON.stringify(document.settings, null, document.indent);
  return document.finalNewline ? `${text}\n` : text;
}

/** ` (line L, column C)` where the text stops being JSON. */
function whereParsingStopped(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return "";
  const before = text.slice(0, offset).split("\n");
  return ` (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
