import { commandsOfEvidence, type EvidenceCommand } from "./evidence-commands.js";

/** Another pattern's occurrence in a run of the pattern at hand, as stored. */
export interface NeighbourEvidence {
  workflow_id: string;
  pattern_signature: string;
  evidence: string | null;
}

/** A pattern that ran beside another: in the same command line, or only in the same run. */
export interface RunTogether {
  pattern_signature: string;
  /** Runs where both ran in one tool call (`git add -A && git commit -m …`): one operation to a user. */
  same_command: number;
  /** Runs where both occurred. */
  same_run: number;
}

/**
 * The patterns that ran with a pattern, most runs in the same command first, then most runs together.
 * Two patterns ran in the same command when their evidence names the same tool call of the run.
 *
 * @example patternsRunTogether(gitCommitOccurrences, otherOccurrencesOfThoseRuns)
 * // [{ pattern_signature: "git:add:summary", same_command: 207, same_run: 230 }, …]
 */
export function patternsRunTogether(
  own: readonly { workflow_id: string; evidence: string | null }[],
  neighbours: readonly NeighbourEvidence[],
): RunTogether[] {
  const calls = new Map<string, Set<number>>();
  for (const occurrence of own) calls.set(occurrence.workflow_id, toolCallsOfEvidence(occurrence.evidence));
  const tallies = new Map<string, { sameCommand: Set<string>; sameRun: Set<string> }>();
  for (const neighbour of neighbours) {
    const mine = calls.get(neighbour.workflow_id);
    if (mine === undefined) continue;
    let tally = tallies.get(neighbour.pattern_signature);
    if (tally === undefined) {
      tally = { sameCommand: new Set(), sameRun: new Set() };
      tallies.set(neighbour.pattern_signature, tally);
    }
    tally.sameRun.add(neighbour.workflow_id);
    for (const { tool_call_index: index } of commandsOfEvidence(neighbour.evidence)) {
      if (index !== undefined && mine.has(index)) tally.sameCommand.add(neighbour.workflow_id);
    }
  }
  return rankRunTogether(
    [...tallies.entries()].map(([pattern_signature, tally]) => ({
      pattern_signature,
      same_command: tally.sameCommand.size,
      same_run: tally.sameRun.size,
    })),
  );
}

/** Most runs in the same command first, then most runs together, then by signature. */
export function rankRunTogether(rows: readonly RunTogether[]): RunTogether[] {
  return [...rows].sort(
    (a, b) =>
      b.same_command - a.same_command ||
      b.same_run - a.same_run ||
      (a.pattern_signature < b.pattern_signature ? -1 : 1),
  );
}

/** The positions in the run of the tool calls a piece of stored evidence names. */
export function toolCallsOfEvidence(evidence: string | null): Set<number> {
  return toolCallsOfCommands(commandsOfEvidence(evidence));
}

/** {@link toolCallsOfEvidence} of evidence parsed already (see `commandsOfEvidence`). */
export function toolCallsOfCommands(commands: readonly EvidenceCommand[]): Set<number> {
  const indices = new Set<number>();
  for (const { tool_call_index: index } of commands) if (index !== undefined) indices.add(index);
  return indices;
}
