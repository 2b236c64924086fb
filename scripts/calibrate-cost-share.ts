/**
 * Calibrates the factor of the tool-call share (`TOOL_CALL_SHARE_FACTOR` in `packages/core`) on the real
 * session transcripts of `../shared/data/transcripts` (or `$PATTERNLOOP_SHARED_DATA/transcripts`), where
 * each tool call's turns are known.
 *
 * For every occurrence whose calls have measured usage, it compares two estimates made from the run's totals
 * alone (as if per-call usage were unknown) with the measured round-trip cost of the pattern's calls (the
 * turns that issued and read them): the even split of the run over its patterns, and the pattern's share of
 * the run's tool calls. It prints, for each, the total ratio, the median ratio and the share of occurrences
 * within 2×, and the factor that makes the share's total match. Then, when `realworld/workflows.jsonl` is
 * there, the total potential monthly savings over that history with each attribution, computed with core
 * alone as a backfill would.
 *
 *   pnpm calibrate:cost-share
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import {
  addMessageOwners,
  addOccurrence,
  chargePatterns,
  DEFAULT_SAVINGS_MODEL,
  type DetectedPattern,
  detectPatterns,
  emptyPatternState,
  historySpanDays,
  type MessageOwners,
  type OccurrenceObservation,
  observeRun,
  type PatternState,
  parseClaudeCodeTranscript,
  parseWorkflowRecord,
  publishStatistics,
  savingsFigures,
  TOOL_CALL_SHARE_FACTOR,
  transcriptSessionId,
  type WorkflowRecord,
  workflowTimeOf,
} from "@patternloop/core";
import { sharedDataFile } from "./shared-data.js";

const folder = sharedDataFile("transcripts");
if (folder === undefined || !existsSync(folder)) {
  console.log(
    "transcripts absent (no ../shared/data/transcripts and no PATTERNLOOP_SHARED_DATA): nothing calibrated",
  );
  process.exit(0);
}

/** The run cost split evenly over its patterns: the attribution the tool-call share replaced. */
const evenSplit = (record: WorkflowRecord, patterns: readonly DetectedPattern[]): (number | null)[] =>
  patterns.map(() =>
    typeof record.actual_cost_total === "number" && record.actual_cost_total > 0
      ? record.actual_cost_total / patterns.length
      : null,
  );

/** The run's tool-call share, unscaled, from its totals alone. */
const callShare = (record: WorkflowRecord, patterns: readonly DetectedPattern[]): (number | null)[] => {
  const blind = { ...record, tool_calls: (record.tool_calls ?? []).map(({ usage: _, ...call }) => call) };
  return chargePatterns(blind, patterns, { toolCallShareFactor: 1 }).map((charge) => charge.cost);
};

interface Comparison {
  measured: number;
  even: number;
  share: number;
}

const comparisons: Comparison[] = [];
let runs = 0;
let runsWithPatterns = 0;
const files = readdirSync(folder)
  .filter((name) => name.endsWith(".jsonl"))
  .sort();
// Two passes, as `ingest claude-code` reads them: a resumed session's copies of earlier messages are counted
// once, in the run that made them.
const sessions = files.map((name) => {
  const text = readFileSync(`${folder}/${name}`, "utf8");
  return { text, sessionId: transcriptSessionId(text) ?? basename(name, ".jsonl") };
});
const messageOwners: MessageOwners = new Map();
for (const { text, sessionId } of sessions)
  addMessageOwners(messageOwners, parseClaudeCodeTranscript(text, { sessionId }).runs);
for (const { text, sessionId } of sessions) {
  const transcript = parseClaudeCodeTranscript(text, { sessionId, messageOwners });
  for (const { record } of transcript.runs) {
    runs++;
    const patterns = detectPatterns(record);
    if (patterns.length > 0) runsWithPatterns++;
    const measured = chargePatterns(record, patterns);
    const even = evenSplit(record, patterns);
    const share = callShare(record, patterns);
    measured.forEach((charge, i) => {
      if (charge.attribution !== "tool_calls" || charge.cost === null || charge.cost <= 0) return;
      comparisons.push({ measured: charge.cost, even: even[i] ?? 0, share: share[i] ?? 0 });
    });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const measuredTotal = sum(comparisons.map((c) => c.measured));
const describe = (label: string, estimate: (c: Comparison) => number) => {
  const ratios = comparisons.map((c) => estimate(c) / c.measured);
  const within = ratios.filter((ratio) => ratio >= 0.5 && ratio <= 2).length / ratios.length;
  const total = sum(comparisons.map(estimate)) / measuredTotal;
  console.log(
    `  ${label.padEnd(40)} total ${total.toFixed(2)}×   median ${median(ratios).toFixed(2)}×   within 2× ${(within * 100).toFixed(0)} %`,
  );
  return total;
};

console.log(
  `${files.length} transcripts, ${runs} runs, ${runsWithPatterns} with patterns; ${comparisons.length} occurrences with measured calls, $${measuredTotal.toFixed(2)} measured in all`,
);
console.log("estimate from run totals / measured round trip of the pattern's calls:");
describe("even split over the run's patterns", (c) => c.even);
const shareTotal = describe("tool-call share (unscaled)", (c) => c.share);
describe(`tool-call share × ${TOOL_CALL_SHARE_FACTOR} (the default)`, (c) =>
  c.share * TOOL_CALL_SHARE_FACTOR);
console.log(
  `factor that makes the totals match: ${(1 / shareTotal).toFixed(3)} (TOOL_CALL_SHARE_FACTOR = ${TOOL_CALL_SHARE_FACTOR})`,
);

const history = sharedDataFile("realworld/workflows.jsonl");
if (history === undefined || !existsSync(history)) {
  console.log("\nrealworld/workflows.jsonl absent: no monthly savings computed");
} else {
  printMonthlySavings(history);
}

/**
 * Total potential monthly savings over a history as a backfill computes them: finished runs, each workflow
 * once, the default detector and tool-cost ratio, the span of the finished runs' workflow times.
 */
function printMonthlySavings(path: string) {
  const attributions = {
    "even split (before)": (record: WorkflowRecord, patterns: readonly DetectedPattern[]) =>
      evenSplit(record, patterns),
    [`tool-call share × ${TOOL_CALL_SHARE_FACTOR}`]: (
      record: WorkflowRecord,
      patterns: readonly DetectedPattern[],
    ) => chargePatterns(record, patterns).map((charge) => charge.cost),
    "tool-call share (unscaled)": callShare,
  };
  const states = new Map<string, Map<string, PatternState>>(
    Object.keys(attributions).map((label) => [label, new Map()]),
  );
  const seen = new Set<string>();
  let earliest: string | null = null;
  let latest: string | null = null;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const parsed = parseWorkflowRecord(JSON.parse(line));
    if (!parsed.success) continue;
    const record = parsed.record;
    if (record.status !== "completed" && record.status !== "failed") continue;
    if (seen.has(record.workflow_id)) continue;
    seen.add(record.workflow_id);
    const time = workflowTimeOf(record);
    if (time !== null && (earliest === null || time < earliest)) earliest = time;
    if (time !== null && (latest === null || time > latest)) latest = time;
    const patterns = detectPatterns(record);
    const base = observeRun(record, null, null);
    for (const [label, attribute] of Object.entries(attributions)) {
      const byPattern = states.get(label) as Map<string, PatternState>;
      const costs = attribute(record, patterns);
      patterns.forEach((pattern, i) => {
        const observation: OccurrenceObservation = { ...base, cost: costs[i] ?? null };
        const state = byPattern.get(pattern.signature) ?? emptyPatternState();
        byPattern.set(pattern.signature, addOccurrence(state, observation));
      });
    }
  }
  const days = historySpanDays(earliest, latest);
  console.log(
    `\n${basename(path)}: ${seen.size} finished runs over ${days.toFixed(1)} days; total potential monthly savings (tool cost ${DEFAULT_SAVINGS_MODEL.toolCostShare * 100} % of the LLM cost):`,
  );
  for (const [label, byPattern] of states) {
    let total = 0;
    for (const state of byPattern.values()) {
      total += savingsFigures(publishStatistics(state), days).potential_monthly_savings;
    }
    console.log(`  ${label.padEnd(40)} $${total.toFixed(2)} a month`);
  }
}
