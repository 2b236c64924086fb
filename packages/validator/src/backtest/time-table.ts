/** When a run ran: all that placing it in time needs. */
export interface RunTimes {
  workflow_id: string;
  start_time: string;
  end_time: string;
}

/**
 * A history's times by run index, as ordering them needs: the times compare with `<` and `===` as the
 * timestamps' text does (numbers or that text), the workflow id breaks ties.
 */
export interface TimeTable {
  readonly length: number;
  start(run: number): string | number;
  end(run: number): string | number;
  workflowId(run: number): string;
}

/** The times of runs held in memory, as they are. */
export function timeTableOf(runs: readonly RunTimes[]): TimeTable {
  const at = (run: number) => runs[run] as RunTimes;
  return {
    length: runs.length,
    start: (run) => at(run).start_time,
    end: (run) => at(run).end_time,
    workflowId: (run) => at(run).workflow_id,
  };
}

/**
 * Collects a history's times into as little memory as orders them exactly, for a history read a page at a
 * time. Timestamps in the canonical form patternloop writes (`2026-01-01T00:00:00.000Z`, what
 * `toISOString()` gives back) sort as text exactly as their instants do, so they are kept as numbers: 8 bytes
 * each instead of a string of about 40. The first time in any other form turns every time back into its text
 * (the numbers into the canonical text they came from), so the order is always that of the text.
 */
export function collectTimes(): { add(run: RunTimes): void; table(): TimeTable } {
  const workflowIds: string[] = [];
  let starts: (string | number)[] = [];
  let ends: (string | number)[] = [];
  let asText = false;
  const toText = () => {
    asText = true;
    starts = starts.map((ms) => new Date(ms).toISOString());
    ends = ends.map((ms) => new Date(ms).toISOString());
  };
  return {
    add({ workflow_id, start_time, end_time }) {
      workflowIds.push(workflow_id);
      if (!asText) {
        const start = canonicalMs(start_time);
        const end = canonicalMs(end_time);
        if (start !== undefined && end !== undefined) {
          starts.push(start);
          ends.push(end);
          return;
        }
        toText();
      }
      starts.push(start_time);
      ends.push(end_time);
    },
    table: () => ({
      length: workflowIds.length,
      start: (run) => starts[run] as string | number,
      end: (run) => ends[run] as string | number,
      workflowId: (run) => workflowIds[run] as string,
    }),
  };
}

/** The instant of a timestamp written in the canonical form, else undefined. */
function canonicalMs(time: string): number | undefined {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return undefined;
  // Only a timestamp that is exactly its own canonical text sorts as a number as it does as text.
  return new Date(ms).toISOString() === time ? ms : undefined;
}
