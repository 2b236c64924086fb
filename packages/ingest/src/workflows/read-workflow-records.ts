import { type IdentifiedWorkflowRecord, mayHoldUnstorableText, parseWorkflowRecord } from "@patternloop/core";
import { readLines } from "../lines/read-lines.js";
import { type OtherFormat, recogniseOtherFormat } from "./other-format.js";

/**
 * One line of a JSON Lines history: a record, or why the line was refused; `format` names the other input the
 * line belongs to when it is one (a transcript given where records are read), so a command can say which to use.
 */
export type RecordLine =
  | { ok: true; number: number; record: IdentifiedWorkflowRecord }
  | { ok: false; number: number; problem: string; format?: OtherFormat };

/** Reads workflow records from JSON Lines; blank lines are skipped, bad lines come back with their problem. */
export async function* readWorkflowRecords(file: string | undefined): AsyncGenerator<RecordLine> {
  for await (const read of readLines(file)) {
    if (!read.ok) {
      yield read;
      continue;
    }
    const { line, number } = read;
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      yield { ok: false, number, problem: `invalid JSON (${(error as Error).message})` };
      continue;
    }
    // Most lines have no escape that could decode to unstorable text: their strings need no second look.
    const parsed = parseWorkflowRecord(json, { textChecked: !mayHoldUnstorableText(line) });
    if (parsed.success) {
      yield { ok: true, number, record: parsed.record };
      continue;
    }
    const problem = parsed.issues.map((issue) => `${issue.path || "record"}: ${issue.message}`).join("; ");
    const format = recogniseOtherFormat(json);
    yield format === undefined ? { ok: false, number, problem } : { ok: false, number, problem, format };
  }
}
