import { type RunValues, runValuesOf } from "@patternloop/db";
import type { RecordLine } from "./read-workflow-records.js";

/** A line of a JSON Lines history with its run's rows built, or why the line was refused. */
export type RunLine = { ok: true; number: number; run: RunValues } | Extract<RecordLine, { ok: false }>;

/** The line with its record's rows built (the values its inserts bind), or the refused line as it is. */
export function toRunLine(line: RecordLine): RunLine {
  return line.ok ? { ok: true, number: line.number, run: runValuesOf(line.record) } : line;
}
