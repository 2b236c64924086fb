import type { ClaudeCodeTranscript } from "@patternloop/core";

/**
 * The run each prompt made first, as prompt id → its earliest run. Claude Code 1.0 copied a session's lines,
 * prompt ids included, into the transcript of a session that resumed it, under the new session id: the
 * prompt is stored once, as the run of the session where it was first typed.
 */
export function originalRuns(transcripts: Iterable<ClaudeCodeTranscript>): Map<string, string> {
  const first = new Map<string, { start: string; workflow_id: string }>();
  for (const transcript of transcripts)
    for (const { record } of transcript.runs) {
      const prompt = promptIdOf(record.workflow_id);
      const start = record.start_time ?? "";
      const seen = first.get(prompt);
      if (seen === undefined || start < seen.start)
        first.set(prompt, { start, workflow_id: record.workflow_id });
    }
  return new Map([...first].map(([prompt, run]) => [prompt, run.workflow_id]));
}

/** The prompt id a transcript run is named after: the part of its `workflow_id` after the last colon. */
export function promptIdOf(workflowId: string): string {
  return workflowId.slice(workflowId.lastIndexOf(":") + 1);
}
