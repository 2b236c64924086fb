/**
 * Detection over the real-world history (`../shared/data/realworld/workflows.jsonl`, not shipped with the
 * repo): runs on every record, prints the most frequent signatures, how many runs show each kind of
 * operation, and a sample of Bash commands that matched nothing although they look like test / build / lint /
 * git / install operations.
 *
 *   pnpm realworld:detect [--sample 20]
 */
import { existsSync, readFileSync } from "node:fs";
import { detectPatterns, matchCommand, readShellCommands } from "@patternloop/core";
import { sharedDataFile } from "./shared-data.js";

const file = sharedDataFile("realworld/workflows.jsonl");
if (file === undefined || !existsSync(file)) {
  console.log(
    "realworld data absent (no ../shared/data/realworld/workflows.jsonl and no PATTERNLOOP_SHARED_DATA): nothing checked",
  );
  process.exit(0);
}
const sampleSize = Number(process.argv[process.argv.indexOf("--sample") + 1]) || 20;
const LOOKS_LIKE_OPERATION =
  /\b(?:test|tests|pytest|jest|vitest|build|compile|tsc|lint|eslint|prettier|format|fmt|ruff|black|mypy|install|sync|git|typecheck|type-check|check)\b/;

/** Kinds of operation whose run counts a vocabulary change should be checked against. */
const KINDS: readonly (readonly [string, RegExp])[] = [
  ["docs:*", /^docs:/],
  ["build:*", /^build:/],
  ["build:generic:*", /^build:generic:/],
  ["git reads", /^git:(?:status|diff|log|show|blame|ls-files|remote|rev-parse):/],
  ["ci checks", /^ci:/],
  ["test runs", /^test:/],
];

const counts = new Map<string, number>();
const kindRuns = new Map<string, number>(KINDS.map(([kind]) => [kind, 0]));
const unmatched = new Map<string, number>();
let records = 0;
let failures = 0;
const started = performance.now();
for (const line of readFileSync(file, "utf8").split("\n")) {
  if (line.trim() === "") continue;
  const record = JSON.parse(line);
  records++;
  try {
    const signatures = detectPatterns(record).map((pattern) => pattern.signature);
    for (const signature of signatures) counts.set(signature, (counts.get(signature) ?? 0) + 1);
    for (const [kind, pattern] of KINDS)
      if (signatures.some((signature) => pattern.test(signature)))
        kindRuns.set(kind, (kindRuns.get(kind) ?? 0) + 1);
  } catch (error) {
    failures++;
    console.error(`${record.workflow_id}: ${(error as Error).message}`);
  }
  for (const call of record.tool_calls ?? []) {
    const command = call.tool_name === "Bash" ? call.tool_input?.command : undefined;
    if (typeof command !== "string") continue;
    for (const simple of readShellCommands(command)) {
      const text = [simple.program, ...simple.args].join(" ");
      if (matchCommand(simple) === undefined && LOOKS_LIKE_OPERATION.test(text) && text.length < 160) {
        unmatched.set(text, (unmatched.get(text) ?? 0) + 1);
      }
    }
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(`${records} records in ${seconds.toFixed(2)} s, ${failures} failures`);
console.log("\nmost frequent signatures (workflows):");
for (const [signature, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10))
  console.log(`  ${String(count).padStart(5)}  ${signature}`);
console.log("\nruns with an operation of each kind:");
for (const [kind, count] of kindRuns) console.log(`  ${String(count).padStart(5)}  ${kind}`);
console.log(
  `\n${unmatched.size} distinct commands look like operations but matched nothing; the ${sampleSize} most frequent:`,
);
for (const [text, count] of [...unmatched].sort((a, b) => b[1] - a[1]).slice(0, sampleSize))
  console.log(`  ${String(count).padStart(5)}  ${text}`);
process.exitCode = failures > 0 ? 1 : 0;
