import { expect } from "vitest";
import type { CliRun } from "../run-cli.js";

/** A refusal of bad input: exit code 2, nothing on stdout, exactly one `patternloop: …` line on stderr. */
export function expectRefusal(run: CliRun, message: string | RegExp): void {
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/^patternloop: [^\n]+\n$/);
  if (typeof message === "string") expect(run.stderr).toContain(message);
  else expect(run.stderr).toMatch(message);
  expect(run.status).toBe(2);
}
