import type {
  ClaudeCodeTranscript,
  MessageOwner,
  MessageOwners,
  TranscriptRun,
} from "./transcript-result.js";

/**
 * Adds one session's runs (as {@link parseClaudeCodeTranscript} gives them without `messageOwners`) to
 * `owners`: a message belongs to the earliest-starting run holding it, which is the original, since a copy is
 * written when the session is taken up; on a tie, to the run added first. Give the result to
 * `parseClaudeCodeTranscript` as `messageOwners` to read each session again with its copies left out.
 *
 * @example
 * const owners: MessageOwners = new Map();
 * for (const text of sessions) addMessageOwners(owners, parseClaudeCodeTranscript(text).runs);
 * const runs = sessions.flatMap((text) => parseClaudeCodeTranscript(text, { messageOwners: owners }).runs);
 */
export function addMessageOwners(owners: MessageOwners, runs: readonly TranscriptRun[]): void {
  for (const run of runs) {
    const start = run.record.start_time ?? "";
    for (const id of run.message_ids) {
      const seen = owners.get(id);
      if (seen === undefined || start < seen.start_time)
        owners.set(id, { workflow_id: run.record.workflow_id, start_time: start });
    }
  }
}

/**
 * Whether reading a session again with `owners` would leave out some of its messages: a run of it holds a
 * message (a copy) that another session's run counts. When it would not, the session read without `owners`
 * is already what it reads with them, and need not be read twice.
 */
export function holdsCopies(
  transcript: ClaudeCodeTranscript,
  owners: ReadonlyMap<string, MessageOwner>,
): boolean {
  return transcript.runs.some((run) =>
    run.message_ids.some((id) => {
      const owner = owners.get(id);
      return owner !== undefined && owner.workflow_id !== run.record.workflow_id;
    }),
  );
}
