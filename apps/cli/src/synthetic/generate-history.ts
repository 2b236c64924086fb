import { applyActivation, type SyntheticActivation } from "./activation.js";
import { drawErrorMessage, drawRetryCount, FAILURE_RATE } from "./failures.js";
import { createRandom, mix32 } from "./random.js";
import { drawRequest } from "./requests.js";
import { drawRunUsage, type RunUsage } from "./token-usage.js";
import { drawToolCalls, type SyntheticToolCall } from "./tool-calls.js";
import { drawModel, drawWorkflowTemplate, templateDurationFactor } from "./workflow-templates.js";

/** Options of {@link generateHistory}. */
export interface GenerateHistoryOptions {
  /** How many runs to generate (a whole number, 0 or more). */
  runs: number;
  /** Same seed, same history, byte for byte. A 32-bit integer. */
  seed: number;
  /** ISO time of the first run; default `2026-01-05T08:00:00.000Z` (fixed, so output never depends on the clock). */
  startTime?: string;
  /** Days the runs are spread over, evenly and in order; default 30. */
  days?: number;
  /** An automation put in use part way through, with a known effect (see {@link applyActivation}). */
  activation?: SyntheticActivation;
}

/**
 * One generated run, in the JSON shape of the workflow histories `patternloop ingest workflows` reads
 * (a type alias so that it is also an `IdentifiedWorkflowRecord` of core), with its token totals and cost.
 */
export type SyntheticWorkflow = RunUsage & {
  workflow_id: string;
  adw_id: string;
  nl_input: string;
  workflow_template: string;
  status: "completed" | "failed";
  start_time: string;
  end_time: string;
  duration_seconds: number;
  cost_basis: "computed_from_usage_list_prices";
  error_message: string | null;
  retry_count: number;
  model_used: string;
  tool_calls: SyntheticToolCall[];
  source: { kind: "synthetic"; seed: number };
  field_basis: Readonly<Record<string, string>>;
};

export const DEFAULT_START_TIME = "2026-01-05T08:00:00.000Z";
export const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;
const FIELD_BASIS = Object.freeze({
  all: "synthetic (patternloop generate, seeded)",
  actual_cost_total: "derived (per-turn usage x published list prices)",
});

/**
 * Generates a deterministic history of ADW-shaped agent runs, oldest first, one run at a time, so that a
 * million runs never sit in memory. Pure: no I/O, no clock; run `n` depends only on the options and `n`.
 *
 * @example
 * for (const run of generateHistory({ runs: 3, seed: 7 })) console.log(run.workflow_id, run.nl_input);
 * // syn-7-0 Fix the failing pytest tests in app/server …
 */
export function* generateHistory(options: GenerateHistoryOptions): Generator<SyntheticWorkflow> {
  const { runs, seed } = options;
  const days = options.days ?? DEFAULT_DAYS;
  const startMs = Date.parse(options.startTime ?? DEFAULT_START_TIME);
  if (!Number.isInteger(runs) || runs < 0)
    throw new RangeError(`runs must be a whole number ≥ 0, not ${runs}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, not ${seed}`);
  if (!(days > 0 && Number.isFinite(days)))
    throw new RangeError(`days must be a positive number, not ${days}`);
  if (Number.isNaN(startMs)) throw new RangeError(`startTime must be an ISO time, not ${options.startTime}`);

  const spacing = (days * DAY_MS) / Math.max(runs, 1);
  const idOffset = mix32(seed ^ 0x5bd1e995);
  for (let n = 0; n < runs; n++) {
    const random = createRandom(mix32((mix32(seed) + Math.imul(n, 0x9e3779b9)) >>> 0));
    const request = drawRequest(random);
    const template = drawWorkflowTemplate(random, request.kind);
    const failed = random.chance(FAILURE_RATE);
    const model = drawModel(random);
    const adwId = mix32((n + idOffset) >>> 0)
      .toString(16)
      .padStart(8, "0");
    const start = Math.round(startMs + spacing * (n + random.next() * 0.9));
    const durationMs = Math.round(
      (random.int(30, 120) + random.int(6, 40) * random.int(5, 30)) * templateDurationFactor(template) * 1000,
    );
    const toolCalls = drawToolCalls(random, {
      kind: request.kind,
      root: `/home/adw/trees/${adwId}`,
      startMs: start,
      durationMs,
      failed,
    });
    const usage = drawRunUsage(random, toolCalls.length + 1, model);
    const run: SyntheticWorkflow = {
      workflow_id: `syn-${seed}-${n}`,
      adw_id: adwId,
      nl_input: request.text,
      workflow_template: template,
      status: failed ? "failed" : "completed",
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + durationMs).toISOString(),
      duration_seconds: durationMs / 1000,
      ...usage,
      cost_basis: "computed_from_usage_list_prices",
      error_message: failed ? drawErrorMessage(random, request.kind) : null,
      retry_count: drawRetryCount(random, failed),
      model_used: model,
      tool_calls: toolCalls,
      source: { kind: "synthetic", seed },
      field_basis: FIELD_BASIS,
    };
    yield options.activation === undefined ? run : applyActivation(run, n, seed, options.activation);
  }
}
