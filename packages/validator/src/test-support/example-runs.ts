/** Three patterns the detector knows, the command each one is, and runs made of them, for the loop's tests. */
export const A = "test:pytest:backend";
export const B = "git:diff:summary";
export const C = "format:prettier:all";
export const COMMANDS: Record<string, string> = {
  [A]: "cd app/server && uv run pytest -q",
  [B]: "git diff --stat",
  [C]: "npx prettier --write .",
};

/** The tool calls of a run that did these patterns, in order. */
export const doing = (...signatures: string[]) =>
  signatures.map((s, i) => ({
    tool_name: "Bash",
    tool_input: { command: COMMANDS[s] as string },
    success: true,
    tool_use_id: `toolu_${i}`,
  }));

/** Predictions of these patterns, as a caller gives them at run start. */
export const predicting = (...signatures: string[]) =>
  signatures.map((signature) => ({ signature, confidence: 70, reason: "given by the caller" }));
