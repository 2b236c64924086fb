/** Runs to send the API: three patterns of the §2 vocabulary and the commands that show them. */
export const A = "test:pytest:backend";
export const B = "git:diff:summary";
export const C = "format:prettier:all";

const COMMANDS: Record<string, string> = {
  [A]: "cd app/server && uv run pytest -q",
  [B]: "git diff --stat",
  [C]: "npx prettier --write .",
};

/** Tool calls that show exactly these patterns (one Bash call each). */
export function toolCalls(...signatures: string[]) {
  return signatures.map((signature, i) => ({
    tool_name: "Bash",
    tool_input: { command: COMMANDS[signature] ?? signature },
    success: true,
    tool_use_id: `toolu_${i}`,
  }));
}

/** Explicit predictions of these patterns. */
export function predictions(...signatures: string[]) {
  return signatures.map((signature) => ({ signature, confidence: 70, reason: "given by the test" }));
}

/**
 * The history {@link seedHistory} sends: seven runs a day apart, each predicting A and C. A occurs in the
 * first six, B in the even ones and the last, C only in the last (so it is the most recent pattern).
 */
export const SEEDED = {
  runs: 7,
  occurrences: { [A]: 6, [B]: 4, [C]: 1 },
  accuracy: { [A]: 6 / 7, [C]: 1 / 7 },
  validations: 14,
  correct: 7,
};

type Post = (path: string, body: unknown) => Promise<{ status: number }>;

/** Starts and completes the {@link SEEDED} history through the API; every answer must be 2xx. */
export async function seedHistory(post: Post): Promise<void> {
  for (let i = 0; i < SEEDED.runs; i++) {
    const id = `wf-${i}`;
    const actual = i === 6 ? [B, C] : [A, ...(i % 2 === 0 ? [B] : [])];
    const start = await post("/v1/runs", {
      workflow_id: id,
      nl_input: `routine change ${i}`,
      start_time: `2026-01-0${i + 1}T10:00:00Z`,
      predictions: predictions(A, C),
    });
    const end = await post(`/v1/runs/${id}/complete`, {
      status: "completed",
      end_time: `2026-01-0${i + 1}T10:05:00Z`,
      total_tokens: 10_000,
      actual_cost_total: 0.3,
      tool_calls: toolCalls(...actual),
    });
    if (start.status !== 201 || end.status !== 200)
      throw new Error(`seeding ${id}: ${start.status} ${end.status}`);
  }
}
