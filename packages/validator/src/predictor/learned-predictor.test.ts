import { isValidSignature } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { createPredictor } from "./learned-predictor.js";

describe("learned predictor", () => {
  it("predicts what the request names before any history, with a reason", () => {
    const [prediction] = createPredictor().predict({ nl_input: "Run pytest on the server" });
    expect(prediction).toEqual({
      signature: "test:pytest:backend",
      confidence: 50,
      reason: "named in the request; not seen in the history yet",
    });
  });

  it("learns which patterns follow which requests and templates", () => {
    const predictor = createPredictor();
    for (let i = 0; i < 30; i++) {
      predictor.learn({ nl_input: `ship the release notes ${i}`, workflow_template: "release" }, [
        "git:log:summary",
        "git:push:summary",
      ]);
      predictor.learn({ nl_input: `fix the checkout modal ${i}` }, ["test:vitest:frontend"]);
    }
    const release = predictor.predict({ nl_input: "ship the release", workflow_template: "release" });
    expect(release.map((p) => p.signature).sort()).toEqual(["git:log:summary", "git:push:summary"]);
    expect(release[0]?.confidence).toBeGreaterThan(80);
    expect(release[0]?.reason).toMatch(
      /from 60 past runs \(in 30\); strongest signs: .*(template release|"ship"|"release")/,
    );
    expect(predictor.predict({ nl_input: "fix the checkout modal" }).map((p) => p.signature)).toEqual([
      "test:vitest:frontend",
    ]);
    expect(predictor.runsLearned).toBe(60);
  });

  it("only predicts valid signatures it learned or the request names", () => {
    const predictor = createPredictor();
    predictor.learn({ nl_input: "anything" }, ["build:typecheck:all"]);
    for (const prediction of predictor.predict({ nl_input: "anything, and update the README" })) {
      expect(isValidSignature(prediction.signature)).toBe(true);
      expect(["build:typecheck:all", "docs:generate:all"]).toContain(prediction.signature);
      expect(prediction.confidence).toBeGreaterThanOrEqual(0);
      expect(prediction.confidence).toBeLessThanOrEqual(100);
    }
  });
});
