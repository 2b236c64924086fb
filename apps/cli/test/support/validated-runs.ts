import { createDatabase } from "@patternloop/db";
import { completeRuns, createPredictor, startRun } from "@patternloop/validator";
import { vi } from "vitest";

// The CLI has no command that starts or completes a run (the HTTP API does): these tests drive the loop
// through the built validator library in the test process, then read the results through the CLI.

export const PYTEST = "test:pytest:backend";
export const DIFF = "git:diff:summary";
export const PRETTIER = "format:prettier:all";
export const TYPECHECK = "build:typecheck:frontend";

const COMMANDS: Record<string, string> = {
  [PYTEST]: "cd app/server && uv run pytest -q",
  [DIFF]: "git diff --stat",
  [PRETTIER]: "npx prettier --write .",
  [TYPECHECK]: "cd app/client && npx tsc --noEmit",
};

export interface ScenarioRun {
  id: string;
  /** When the run ended (and was validated), in days before the test's start. */
  daysAgo: number;
  status: "completed" | "failed" | "running";
  predicted: string[];
  actual: string[];
}

/**
 * Nine runs: wf-0 validated 40 days ago, wf-1…3 two days ago, wf-4…6 yesterday; wf-7 completed without
 * predictions, wf-8 failed (predictions left unvalidated), wf-9 still running.
 */
export const VALIDATED_RUNS: readonly ScenarioRun[] = [
  { id: "wf-0", daysAgo: 40, status: "completed", predicted: [PYTEST], actual: [PYTEST] },
  { id: "wf-1", daysAgo: 2, status: "completed", predicted: [PYTEST, DIFF], actual: [PYTEST, DIFF] },
  { id: "wf-2", daysAgo: 2, status: "completed", predicted: [PYTEST, PRETTIER], actual: [PYTEST] },
  {
    id: "wf-3",
    daysAgo: 2,
    status: "completed",
    predicted: [PYTEST, DIFF],
    actual: [PYTEST, DIFF, TYPECHECK],
  },
  {
    id: "wf-4",
    daysAgo: 1,
    status: "completed",
    predicted: [PYTEST, DIFF, PRETTIER],
    actual: [PYTEST, DIFF],
  },
  {
    id: "wf-5",
    daysAgo: 1,
    status: "completed",
    predicted: [PYTEST, TYPECHECK],
    actual: [PYTEST, TYPECHECK],
  },
  { id: "wf-6", daysAgo: 1, status: "completed", predicted: [DIFF], actual: [PYTEST, PRETTIER, TYPECHECK] },
  { id: "wf-7", daysAgo: 1, status: "completed", predicted: [], actual: [PYTEST] },
  { id: "wf-8", daysAgo: 1, status: "failed", predicted: [PYTEST], actual: [PYTEST] },
  { id: "wf-9", daysAgo: 1, status: "running", predicted: [DIFF], actual: [] },
];

const DAY = 86_400_000;

/** The UTC day `daysAgo` days before `now`, as the trend names it. */
export const dayOf = (now: number, daysAgo: number) =>
  new Date(now - daysAgo * DAY).toISOString().slice(0, 10);

/**
 * Creates the database at `url` and plays {@link VALIDATED_RUNS} through `startRun` / `completeRuns`, with the
 * clock of this process set to each run's end so that validations fall on the days the runs name.
 */
export async function buildValidatedHistory(url: string, now: number): Promise<void> {
  const database = await createDatabase(url, { create: true });
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    for (const run of VALIDATED_RUNS) {
      const end = now - run.daysAgo * DAY;
      vi.setSystemTime(end);
      await startRun(
        database,
        {
          workflow_id: run.id,
          nl_input: `Tidy up item ${run.id}`,
          start_time: new Date(end - 600_000).toISOString(),
          predictions: run.predicted.map((signature) => ({ signature, confidence: 70, reason: "given" })),
        },
        createPredictor(),
      );
      if (run.status === "running") continue;
      const [outcome] = await completeRuns(
        database,
        [
          {
            workflowId: run.id,
            completion: {
              status: run.status,
              end_time: new Date(end).toISOString(),
              error_message: run.status === "failed" ? "tests failed" : null,
              total_tokens: 50_000,
              actual_cost_total: 0.5,
              tool_calls: run.actual.map((signature, i) => ({
                tool_name: "Bash",
                tool_input: { command: COMMANDS[signature] as string },
                success: true,
                tool_use_id: `toolu_${run.id}_${i}`,
              })),
            },
          },
        ],
        { log: () => {} },
      );
      if (outcome?.outcome !== "completed") throw new Error(`${run.id} not completed: ${outcome?.outcome}`);
    }
  } finally {
    vi.useRealTimers();
    await database.close();
  }
}
