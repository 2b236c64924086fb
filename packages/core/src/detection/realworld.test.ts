import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isValidSignature } from "../signature.js";
import { detectPatterns } from "./detect-patterns.js";

// Opt-in: the real-world history is not shipped with the repository (its licences do not allow it).
const root =
  process.env.PATTERNLOOP_SHARED_DATA ??
  fileURLToPath(new URL("../../../../../shared/data", import.meta.url));
const file = `${root}/realworld/workflows.jsonl`;
const present = existsSync(file);
if (!present) console.log(`realworld data absent (${file}): the real-world detection check is skipped`);

describe.runIf(present)("detection over the real-world history", () => {
  it("runs on every record without error and reports only valid signatures", () => {
    const lines = readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "");
    const counts = new Map<string, number>();
    for (const line of lines) {
      const patterns = detectPatterns(JSON.parse(line));
      for (const pattern of patterns) {
        expect(isValidSignature(pattern.signature)).toBe(true);
        counts.set(pattern.signature, (counts.get(pattern.signature) ?? 0) + 1);
      }
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(
      `real-world detection: ${lines.length} records, ${counts.size} signatures; top: ${top.map(([s, n]) => `${s} ${n}`).join(", ")}`,
    );
    expect(lines.length).toBeGreaterThan(1000);
    expect(counts.get("test:pytest:backend")).toBeGreaterThan(0);
    // Nearly every run that touched documentation edited markdown by hand; only the few that ran a generator
    // (`cargo doc`, a docs script) generated docs.
    const docsRuns = [...counts].filter(([signature]) => signature.startsWith("docs:"));
    expect(docsRuns.reduce((sum, [, n]) => sum + n, 0)).toBeLessThanOrEqual(10);
  });
});
