import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectPatterns } from "./detect-patterns.js";

interface LabeledExample {
  id: string;
  group: string;
  record: Record<string, unknown>;
  expected: string[][];
  allowed: string[];
}

const examples: LabeledExample[] = readFileSync(
  new URL("../../test/fixtures/signatures-dev.jsonl", import.meta.url),
  "utf8",
)
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));

/** Scores detection as `shared/data/README.md` says: each expected group once; `allowed` never counts against. */
function score() {
  let truePositives = 0;
  let falsePositives = 0;
  let expectedGroups = 0;
  const misses: string[] = [];
  for (const example of examples) {
    const found = detectPatterns(example.record).map((pattern) => pattern.signature as string);
    const isAllowed = (signature: string) =>
      example.allowed.some(
        (allowed) =>
          allowed === signature || (allowed.endsWith(":*") && signature.startsWith(allowed.slice(0, -1))),
      );
    const used = new Set<string>();
    for (const group of example.expected) {
      expectedGroups++;
      const hit = found.find((signature) => group.includes(signature));
      if (hit !== undefined) {
        truePositives++;
        for (const signature of found) if (group.includes(signature)) used.add(signature);
      } else
        misses.push(`${example.id}: missed ${group.join(" | ")} (found ${found.join(", ") || "nothing"})`);
    }
    for (const signature of found) {
      if (used.has(signature) || isAllowed(signature)) continue;
      falsePositives++;
      misses.push(`${example.id}: unexpected ${signature}`);
    }
  }
  const precision = truePositives / (truePositives + falsePositives);
  const recall = truePositives / expectedGroups;
  return { precision, recall, truePositives, falsePositives, expectedGroups, misses };
}

describe("detection on the labeled examples (signatures-dev.jsonl)", () => {
  it("reaches precision >= 0.95 and recall >= 0.90", () => {
    const result = score();
    console.log(
      `signature detection: precision ${result.precision.toFixed(3)}, recall ${result.recall.toFixed(3)} ` +
        `(${result.truePositives} of ${result.expectedGroups} expected, ${result.falsePositives} false positives, ${examples.length} examples)`,
    );
    for (const miss of result.misses) console.log(`  ${miss}`);
    expect(result.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.recall).toBeGreaterThanOrEqual(0.9);
  });

  it("finds nothing in any trap example", () => {
    const traps = examples.filter((example) => example.group === "trap");
    expect(traps.length).toBeGreaterThan(10);
    for (const trap of traps) {
      const found = detectPatterns(trap.record).filter(
        (pattern) =>
          !trap.allowed.some(
            (allowed) => allowed.endsWith(":*") && pattern.signature.startsWith(allowed.slice(0, -1)),
          ),
      );
      expect(
        found.map((pattern) => pattern.signature),
        `${trap.id}: ${String(trap.record.nl_input)}`,
      ).toEqual([]);
    }
  });
});
