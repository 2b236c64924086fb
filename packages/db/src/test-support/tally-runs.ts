import type { IdentifiedWorkflowRecord } from "@patternloop/core";

/**
 * Runs in two projects, testing, reading diffs and committing (often staging in the same command), whose
 * patterns share commands in some runs and not in others: the history the tally tests count. `variant` is
 * appended to each diff command (a run whose content changed); `failEvery` makes every so many runs failed.
 */
export function tallyRuns(
  from: number,
  count: number,
  options: { variant?: string; failEvery?: number } = {},
): IdentifiedWorkflowRecord[] {
  const { variant = "", failEvery } = options;
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      workflow_id: `run-${i}`,
      status: failEvery !== undefined && i % failEvery === 0 ? "failed" : "completed",
      start_time: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      total_tokens: 10_000,
      actual_cost_total: 1,
      source: { repo: i % 3 === 0 ? "acme/api" : "acme/shop", cwd: "/home/dev/x" },
      tool_calls: [
        ...(i % 4 === 0
          ? []
          : [
              {
                tool_name: "Bash",
                tool_input: { command: `cd app/server && uv run pytest -q tests/t${i}.py` },
              },
            ]),
        {
          tool_name: "Bash",
          tool_input: { command: `git diff ${i % 2 === 0 ? "--stat" : "--cached"}${variant}` },
        },
        {
          tool_name: "Bash",
          tool_input: {
            command: i % 5 === 0 ? `git commit -m "Fix ${i}"` : `git add -A && git commit -m "C ${i}"`,
          },
        },
      ],
    };
  });
}
