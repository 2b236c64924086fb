import { describe, expect, it } from "vitest";
import {
  assessRealizedSavings,
  invokesScript,
  type OccurrenceCost,
  type PeriodRuns,
} from "./realized-savings.js";
import { seededRandom } from "./seeded-random.js";

const SCRIPT = ".claude/skills/run-pytest/run.sh";
const evidence = (command: string) =>
  JSON.stringify([{ source: "tool_call", text: command, rule: "pytest" }]);

/** `runs` runs; each needs the operation with probability `need`, runs the script instead with `effect`. */
function period(prefix: string, runs: number, need: number, effect: number, seed: number): PeriodRuns {
  const random = seededRandom(seed);
  const occurrences: OccurrenceCost[] = [];
  const script_runs: string[] = [];
  for (let i = 0; i < runs; i++) {
    if (random() >= need) continue;
    const id = `${prefix}-${i}`;
    if (random() < effect) script_runs.push(id);
    else occurrences.push({ workflow_id: id, cost: 0.01 + random() * 0.02, evidence: evidence("pytest -q") });
  }
  return { runs, occurrences, script_runs };
}

describe("assessRealizedSavings", () => {
  it("reports a saving that covers the known effect", () => {
    const result = assessRealizedSavings(SCRIPT, period("b", 400, 0.5, 0, 1), period("a", 400, 0.5, 0.6, 2));
    expect(result.verdict).toBe("saving");
    expect(result.relative_interval?.lower).toBeLessThan(0.6);
    expect(result.relative_interval?.upper).toBeGreaterThan(0.6);
    expect(result.after.script_share).toBeGreaterThan(0.5);
    expect(result.after.script_share).toBeLessThan(0.7);
    expect(result.before.script_runs).toBe(0);
  });

  it("never calls noise a saving", () => {
    const verdicts = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      const result = assessRealizedSavings(
        SCRIPT,
        period("b", 300, 0.5, 0, seed),
        period("a", 300, 0.5, 0, seed + 100),
      );
      verdicts.add(result.verdict);
      if (result.verdict === "saving") expect(result.interval?.lower).toBeGreaterThan(0);
    }
    expect(verdicts.has("no_saving_shown")).toBe(true);
    const same = assessRealizedSavings(SCRIPT, period("b", 300, 0.5, 0, 1), period("a", 300, 0.5, 0, 2));
    expect(same.verdict).toBe("no_saving_shown");
  });

  it("says not enough runs yet with few runs or a wide interval", () => {
    const few = assessRealizedSavings(SCRIPT, period("b", 300, 0.5, 0, 1), period("a", 10, 0.5, 0.6, 2));
    expect(few.verdict).toBe("not_enough_runs");
    const rare = assessRealizedSavings(SCRIPT, period("b", 40, 0.1, 0, 3), period("a", 40, 0.1, 0.6, 4));
    expect(rare.verdict).toBe("not_enough_runs");
    expect(rare.reason).toMatch(/wider|fewer/);
  });

  it("counts a run whose only detected call is the script as a script run, not a raw one", () => {
    const after: PeriodRuns = {
      runs: 3,
      occurrences: [
        { workflow_id: "r1", cost: 0.01, evidence: evidence("pytest -q") },
        { workflow_id: "r2", cost: 0.001, evidence: evidence(`bash ${SCRIPT}`) },
      ],
      script_runs: ["r2", "r3"],
    };
    const result = assessRealizedSavings(SCRIPT, { runs: 0, occurrences: [], script_runs: [] }, after);
    expect(result.after.raw_runs).toBe(1);
    expect(result.after.script_runs).toBe(2);
    expect(result.after.script_share).toBeCloseTo(2 / 3, 12);
    expect(result.after.cost_per_use).toBe(0.01);
    expect(result.after.cost_per_run).toBeCloseTo(0.011 / 3, 12);
  });
});

describe("invokesScript", () => {
  it("matches a command naming the script's path", () => {
    expect(invokesScript(`cd /repo && bash ${SCRIPT} -q`, SCRIPT)).toBe(true);
    expect(invokesScript("pytest -q", SCRIPT)).toBe(false);
    expect(invokesScript("pytest -q", "")).toBe(false);
  });
});
