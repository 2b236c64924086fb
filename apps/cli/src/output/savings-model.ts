import type { SavingsAssumptions } from "@patternloop/db";
import { count } from "./format.js";

/** One line saying what the savings figures shown assume: the tool's cost, the span, the cost attribution. */
export function describeSavingsModel(model: SavingsAssumptions): string {
  const { tool_calls, share, none } = model.cost_attribution;
  const shareRule = `their share of the run's tool calls × ${model.run_share_factor} (calibrated on transcripts)`;
  const attribution = [
    tool_calls > 0 ? `${count(tool_calls)} from their own tool calls (transcripts)` : undefined,
    share > 0 ? `${count(share)} from ${shareRule}` : undefined,
    none > 0 ? `${count(none)} without cost evidence` : undefined,
  ].filter((part) => part !== undefined);
  return (
    `Savings assume a script costs ${formatShare(model.tool_cost_share)} of the LLM cost per use (--tool-cost-share), ` +
    `uses per month over the ${count(model.history_days)}-day history (at least 30)` +
    `${attribution.length === 0 ? "" : `; LLM cost per use of the occurrences: ${attribution.join(", ")}`}.\n`
  );
}

/** `5 %`, `2.5 %`. */
function formatShare(share: number): string {
  return `${Number((share * 100).toFixed(4))} %`;
}
