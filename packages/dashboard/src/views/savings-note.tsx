import type { SavingsAssumptions } from "@patternloop/db";
import { count } from "./format.js";

/** What the savings figures shown assume, in one note (the same facts as the CLI's savings line). */
export function SavingsNote(props: { assumptions: SavingsAssumptions }) {
  const a = props.assumptions;
  const { tool_calls, share, none } = a.cost_attribution;
  const parts = [
    tool_calls > 0 ? `${count(tool_calls)} from their own tool calls (transcripts)` : undefined,
    share > 0
      ? `${count(share)} from their share of the run's tool calls × ${a.run_share_factor} (calibrated on transcripts)`
      : undefined,
    none > 0 ? `${count(none)} without cost evidence` : undefined,
  ].filter((part) => part !== undefined);
  return (
    <p class="note" data-figure="savings_model">
      Savings assume a script costs{" "}
      <span data-figure="tool_cost_share" data-value={String(a.tool_cost_share)}>
        {`${Number((a.tool_cost_share * 100).toFixed(4))} %`}
      </span>{" "}
      of the LLM cost per use, and scale uses to a month over the{" "}
      <span data-figure="history_days" data-value={String(a.history_days)}>
        {count(a.history_days)}
      </span>
      -day history (at least 30 days).
      {parts.length === 0 ? "" : ` LLM cost per use of the occurrences: ${parts.join(", ")}.`}
    </p>
  );
}
