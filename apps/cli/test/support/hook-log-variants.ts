import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The ways a hook log may reach the receiver: as logged, without its Stop events, shuffled, every event twice. */
export const HOOK_LOG_VARIANTS = [
  "as is",
  "Stop dropped",
  "shuffled within sessions",
  "every event twice",
] as const;
export type HookLogVariant = (typeof HOOK_LOG_VARIANTS)[number];

/**
 * Writes the variant of a hook log into `directory` and returns its path. The shuffle is seeded (the same
 * every run) and numbers `_seq` anew, so the receiver gets each session's events in the shuffled order.
 */
export function writeHookLogVariant(log: string, variant: HookLogVariant, directory: string): string {
  const lines = readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const file = join(directory, `${variant.replaceAll(" ", "-")}.jsonl`);
  writeFileSync(file, `${variantLines(lines, variant).join("\n")}\n`);
  return file;
}

function variantLines(lines: readonly string[], variant: HookLogVariant): string[] {
  switch (variant) {
    case "as is":
      return [...lines];
    case "Stop dropped":
      return lines.filter((line) => JSON.parse(line).hook_event_name !== "Stop");
    case "every event twice":
      return lines.flatMap((line) => [line, line]);
    case "shuffled within sessions":
      return shuffleSessions(lines);
  }
}

function shuffleSessions(lines: readonly string[]): string[] {
  const sessions = new Map<unknown, Record<string, unknown>[]>();
  for (const line of lines) {
    const event = JSON.parse(line) as Record<string, unknown>;
    sessions.set(event.session_id, [...(sessions.get(event.session_id) ?? []), event]);
  }
  let state = 20_251_206;
  // A linear congruential generator modulo 2^32: the same shuffle on every machine.
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  return [...sessions.values()].flatMap((events) => {
    const shuffled = [...events];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [
        shuffled[j] as Record<string, unknown>,
        shuffled[i] as Record<string, unknown>,
      ];
    }
    return shuffled.map((event, seq) => JSON.stringify({ ...event, _seq: seq }));
  });
}
