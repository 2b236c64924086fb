import {
  addCommandsToTally,
  type CommandShape,
  type CommandTally,
  commandsOfEvidence,
  emptyCommandTally,
  toolCallsOfCommands,
} from "@patternloop/core";

/** One run of two patterns together, and whether they shared a tool call in it. */
export interface PairCounts {
  sameRun: number;
  sameCommand: number;
}

/** An occurrence as the pair count needs it: its pattern and the tool calls its evidence names. */
export interface PairedOccurrence {
  pattern_id: number;
  calls: Set<number>;
}

/** An occurrence as the tallies count it. */
export interface TalliedOccurrence {
  pattern_id: number;
  /** The project of its run (`workflow_history.project`). */
  project: string | null;
  evidence: string | null;
}

/**
 * What some occurrences add to the stored tallies: per pattern its command tally (which goes on from the
 * stored one), per ordered pair of patterns how many runs they shared (which is added to the stored count).
 * Occurrences are added in id order, the order a fold reads them in.
 */
export class TallyCounts {
  readonly tallies = new Map<number, CommandTally>();
  readonly pairs = new Map<string, PairCounts>();
  /** The shape of each command line seen, which many occurrences share. */
  #shapes = new Map<string, CommandShape>();

  /**
   * Adds an occurrence; `earlier` are the occurrences of its run with a lower id, the ones it pairs with.
   * Returns it as a later occurrence of its run pairs with it.
   */
  add(occurrence: TalliedOccurrence, earlier: readonly PairedOccurrence[]): PairedOccurrence {
    let tally = this.tallies.get(occurrence.pattern_id);
    if (tally === undefined) {
      tally = emptyCommandTally();
      this.tallies.set(occurrence.pattern_id, tally);
    }
    // Parsed once for both counts: parsing the evidence is most of what a fold costs but reading it.
    const commands = commandsOfEvidence(occurrence.evidence);
    addCommandsToTally(tally, commands, occurrence.project, this.#shapes);
    const mine: PairedOccurrence = {
      pattern_id: occurrence.pattern_id,
      calls: toolCallsOfCommands(commands),
    };
    for (const other of earlier) countPair(this.pairs, mine, other);
    // A cache only: bounded, since a backfill keeps it from its first occurrence to its last.
    if (this.#shapes.size > 10_000) this.#shapes.clear();
    return mine;
  }
}

/** Counts one run of two patterns together, both ways, and whether they shared a tool call in it. */
function countPair(pairs: Map<string, PairCounts>, a: PairedOccurrence, b: PairedOccurrence): void {
  if (a.pattern_id === b.pattern_id) return;
  let shared = false;
  for (const call of a.calls) if (b.calls.has(call)) shared = true;
  for (const key of [`${a.pattern_id} ${b.pattern_id}`, `${b.pattern_id} ${a.pattern_id}`]) {
    const counts = pairs.get(key) ?? { sameRun: 0, sameCommand: 0 };
    counts.sameRun += 1;
    if (shared) counts.sameCommand += 1;
    pairs.set(key, counts);
  }
}
