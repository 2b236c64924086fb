/** A tool call a piece of evidence names: its shell command and its position in the run. */
export interface EvidenceCommand {
  command: string;
  tool_call_index: number | undefined;
}

/**
 * The shell commands of the executed tool calls in stored evidence (source `tool_call`); evidence from the
 * request, the template or an error message names no command that ran. Malformed evidence gives nothing.
 */
export function commandsOfEvidence(evidence: string | null): EvidenceCommand[] {
  if (evidence === null) return [];
  let pieces: unknown;
  try {
    pieces = JSON.parse(evidence);
  } catch {
    return [];
  }
  if (!Array.isArray(pieces)) return [];
  const commands: EvidenceCommand[] = [];
  for (const piece of pieces) {
    if (piece === null || typeof piece !== "object") continue;
    const { source, text, tool_call_index: index } = piece as Record<string, unknown>;
    if (source !== "tool_call" || typeof text !== "string") continue;
    commands.push({ command: text, tool_call_index: typeof index === "number" ? index : undefined });
  }
  return commands;
}
