import { describe, expect, it } from "vitest";
import { createPredictor, type Predictor } from "../predictor/learned-predictor.js";
import { type BacktestRun, backtest } from "./backtest.js";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const run = (id: string, start: number, end: number, nl_input: string, actual: string[]): BacktestRun => ({
  workflow_id: id,
  start_time: at(start),
  end_time: at(end),
  nl_input,
  actual,
});

describe("backtest", () => {
  it("never learns from a run that had not ended when the predicted run started", () => {
    const history = Array.from({ length: 40 }, (_, i) =>
      run(`r${i}`, i * 10, i * 10 + (i % 3 === 0 ? 35 : 5), `fix bug ${i}`, ["git:status:summary"]),
    );
    const learnedAt: { end: string }[] = [];
    const violations: string[] = [];
    const spy = (): Predictor => {
      const inner = createPredictor();
      return {
        get runsLearned() {
          return inner.runsLearned;
        },
        learn(request, actual) {
          learnedAt.push({ end: (request as BacktestRun).end_time });
          inner.learn(request, actual);
        },
        predict(request) {
          const start = (request as BacktestRun).start_time;
          for (const seen of learnedAt)
            if (!(seen.end < start))
              violations.push(`${(request as BacktestRun).workflow_id} saw a run ending ${seen.end}`);
          return inner.predict(request);
        },
      };
    };
    const result = backtest(history, { predictor: spy });
    expect(result.runs).toBe(40);
    expect(learnedAt.length).toBeGreaterThan(30);
    expect(violations).toEqual([]);
  });

  it("cannot predict a pattern the past never showed and the request does not name", () => {
    // Every run from minute 500 on has a new pattern; runs before it must never be predicted to have it.
    const history = [
      ...Array.from({ length: 30 }, (_, i) =>
        run(`a${i}`, i * 10, i * 10 + 5, "deploy the service", ["git:push:summary"]),
      ),
      ...Array.from({ length: 30 }, (_, i) =>
        run(`b${i}`, 500 + i * 10, 505 + i * 10, "deploy the service", [
          "git:push:summary",
          "build:docker:all",
        ]),
      ),
    ];
    const result = backtest(history);
    const docker = result.patterns.find((p) => p.signature === "build:docker:all");
    // The first docker run cannot be foreseen (one false negative at least); later ones can.
    expect(docker?.false_negatives).toBeGreaterThanOrEqual(1);
    expect(docker?.false_positives).toBe(0);
    expect(docker?.correct).toBeGreaterThan(20);
  });

  it("reports learned and rules-only figures, micro and macro", () => {
    const history = Array.from({ length: 50 }, (_, i) =>
      run(
        `r${i}`,
        i * 10,
        i * 10 + 5,
        i % 2 ? "polish the settings page" : "Run pytest on the server",
        i % 2 ? ["format:prettier:all"] : ["test:pytest:backend"],
      ),
    );
    const result = backtest(history);
    expect(result.baseline.micro.precision).toBe(1);
    expect(result.baseline.micro.recall).toBe(0.5);
    expect(result.learned.micro.f1 ?? 0).toBeGreaterThan(result.baseline.micro.f1 ?? 0);
    expect(result.learned.macro.f1).not.toBeNull();
    expect(result.patterns.map((p) => p.signature)).toEqual(["format:prettier:all", "test:pytest:backend"]);
  });
});
