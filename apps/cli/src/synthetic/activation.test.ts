import { detectPatterns } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { defaultScriptPath } from "./activation.js";
import { generateHistory } from "./generate-history.js";

const SIGNATURE = "test:pytest:backend";
const AT = "2026-01-20T08:00:00.000Z";
const SCRIPT = defaultScriptPath(SIGNATURE);
const runs = (effect?: number) => [
  ...generateHistory({
    runs: 300,
    seed: 4,
    activation:
      effect === undefined ? undefined : { signature: SIGNATURE, at: AT, effect, script_path: SCRIPT },
  }),
];
const performs = (run: ReturnType<typeof runs>[number]) =>
  detectPatterns(run).some(
    (pattern) => pattern.signature === SIGNATURE && pattern.tool_call_indices.length > 0,
  );
const callsScript = (run: ReturnType<typeof runs>[number]) =>
  run.tool_calls.some((call) => call.tool_input.command === `bash ${SCRIPT}`);

describe("a generated activation", () => {
  it("changes nothing with effect 0, and nothing before the activation", () => {
    expect(runs(0)).toEqual(runs());
    const plain = runs();
    const all = runs(1);
    all.forEach((run, n) => {
      if (run.start_time < AT) expect(run).toEqual(plain[n]);
    });
  });

  it("with effect 1 swaps the operation's calls for the script in every run after it that needed it", () => {
    const plain = runs();
    const all = runs(1);
    const needing = plain.filter((run) => run.start_time >= AT && performs(run));
    expect(needing.length).toBeGreaterThan(20);
    for (const run of all.filter((run) => run.start_time >= AT)) expect(performs(run)).toBe(false);
    expect(all.filter(callsScript).length).toBe(needing.length);
    all.forEach((run, n) => {
      const { tool_calls: _calls, ...rest } = run;
      const { tool_calls: _plainCalls, ...plainRest } = plain[n] ?? run;
      expect(rest).toEqual(plainRest);
    });
  });

  it("with effect 0.6 swaps about 60 % of them", () => {
    const needing = runs().filter((run) => run.start_time >= AT && performs(run)).length;
    const swapped = runs(0.6).filter(callsScript).length;
    expect(swapped / needing).toBeGreaterThan(0.45);
    expect(swapped / needing).toBeLessThan(0.75);
  });

  it("places the script where a skill for the pattern would sit", () => {
    expect(SCRIPT).toBe(".claude/skills/test-pytest-backend/run.sh");
  });
});
