import { describe, expect, it } from "vitest";
import { compareRun, formatValidationLog } from "./run-validation.js";

describe("compareRun (§6 worked examples)", () => {
  it("predicted {a}, actual {a}: accuracy 1, no false positive or negative", () => {
    expect(compareRun("wf", ["a"], ["a"])).toMatchObject({
      correct: 1,
      accuracy: 1,
      false_positives: 0,
      false_negatives: 0,
      precision: 1,
      recall: 1,
      f1: 1,
    });
  });

  it("predicted {a, b, c}, actual {a, b}: correct 2, accuracy 0.67, one false positive", () => {
    const result = compareRun("wf", ["a", "b", "c"], ["a", "b"]);
    expect(result).toMatchObject({
      predicted: 3,
      actual: 2,
      correct: 2,
      false_positives: 1,
      false_negatives: 0,
      false_positive_signatures: ["c"],
    });
    expect(result.accuracy).toBeCloseTo(0.67, 2);
  });

  it("predicted {a}, actual {a, b, c}: accuracy 1, two false negatives, recall 0.33", () => {
    const result = compareRun("wf", ["a"], ["a", "b", "c"]);
    expect(result).toMatchObject({ accuracy: 1, false_negatives: 2 });
    expect(result.recall).toBeCloseTo(0.33, 2);
  });

  it("reports a ratio with a zero denominator as null, not 0", () => {
    expect(compareRun("wf", [], ["a"])).toMatchObject({ accuracy: null, precision: null, recall: 0 });
    expect(compareRun("wf", ["a"], [])).toMatchObject({ accuracy: 0, recall: null, false_positives: 1 });
  });

  it("writes the §6 log line", () => {
    expect(formatValidationLog(compareRun("wf-123", ["a", "b", "c"], ["a", "b"]))).toBe(
      "[validator] workflow wf-123: predicted 3, actual 2, correct 2, accuracy 66.67%",
    );
    expect(formatValidationLog(compareRun("wf-9", [], []))).toBe(
      "[validator] workflow wf-9: predicted 0, actual 0, correct 0, accuracy n/a",
    );
  });

  it("escapes the id, so that one holding a line break cannot forge a second log line", () => {
    const forged =
      "wf-1\n[validator] workflow wf-2: predicted 1, actual 1, correct 1, accuracy 100.00%\u001b[2K";
    const line = formatValidationLog(compareRun(forged, ["a"], []));
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toBe(
      "[validator] workflow wf-1\\n[validator] workflow wf-2: predicted 1, actual 1, correct 1, accuracy 100.00%\\u001b[2K: predicted 1, actual 0, correct 0, accuracy 0.00%",
    );
  });
});
