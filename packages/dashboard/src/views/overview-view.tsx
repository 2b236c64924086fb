import type { PatternRealizedSavings } from "@patternloop/db";
import type { OverviewData } from "../load/overview-data.js";
import { Chart } from "./chart.js";
import { Card, Heads, Num } from "./figure.js";
import { count, day, percent, usd } from "./format.js";
import { Empty } from "./layout.js";
import type { Links } from "./links.js";
import { SavingsNote } from "./savings-note.js";

export function OverviewView(props: { data: OverviewData; links: Links }) {
  const { totals, summary, daily, realized, predictions } = props.data;
  if (totals.runs === 0)
    return (
      <>
        <h1>Overview</h1>
        <Empty>
          The history is empty. Add runs with <code>patternloop ingest claude-code</code> (or{" "}
          <code>ingest workflows FILE</code>), then <code>patternloop backfill</code> to find their patterns;
          or try <code>patternloop demo</code>.
        </Empty>
      </>
    );
  const statuses = Object.entries(summary.patterns_by_status);
  return (
    <>
      <h1>Overview</h1>
      <dl class="cards">
        <Card label="Runs in the history" figure="runs" value={totals.runs}>
          {count(totals.runs)}
        </Card>
        <Card label="Cost of the runs" figure="total_cost" value={totals.total_cost}>
          {usd(totals.total_cost)}
        </Card>
        <Card label="Cost attributed to patterns" figure="pattern_cost" value={totals.pattern_cost}>
          {usd(totals.pattern_cost)}
        </Card>
        <Card label="Patterns" figure="total_patterns" value={summary.total_patterns}>
          {count(summary.total_patterns)}
        </Card>
        <Card
          label="Potential savings a month"
          figure="potential_monthly_savings"
          value={summary.potential_monthly_savings}
        >
          {usd(summary.potential_monthly_savings)}
        </Card>
        <Card label="Live prediction accuracy" figure="live_accuracy" value={predictions.live.accuracy}>
          {percent(predictions.live.accuracy)}
        </Card>
        <Card
          label="Replayed prediction accuracy"
          figure="replayed_accuracy"
          value={predictions.replayed.accuracy}
        >
          {percent(predictions.replayed.accuracy)}
        </Card>
      </dl>
      <SavingsNote assumptions={props.data.assumptions} />
      <div class="charts">
        <Chart
          id="runs-per-day"
          title="Runs per day"
          spec={{
            kind: "bars",
            days: daily.map((d) => d.day),
            series: [{ label: "runs", values: daily.map((d) => d.runs), unit: "count" }],
          }}
          summary={`${count(totals.runs)} runs, on ${daily.length} day${daily.length === 1 ? "" : "s"} with a run`}
        />
        <Chart
          id="cost-per-day"
          title="Cost per day"
          spec={{
            kind: "line",
            days: daily.map((d) => d.day),
            series: [{ label: "cost", values: daily.map((d) => d.cost), unit: "usd" }],
          }}
          summary={`${usd(totals.total_cost)}, on ${daily.length} day${daily.length === 1 ? "" : "s"} with a run`}
        />
      </div>
      <h2>Patterns by status</h2>
      {statuses.length === 0 ? (
        <Empty>
          No patterns yet: run <code>patternloop backfill</code> to find them in the history.
        </Empty>
      ) : (
        <table>
          <caption>How many patterns are at each step of their lifecycle</caption>
          <Heads columns={["status", { num: "patterns" }]} />
          <tbody>
            {statuses.map(([status, n]) => (
              <tr>
                <td>
                  <a href={props.links.patterns({ status: status as never })}>{status}</a>
                </td>
                <Num figure={`patterns_by_status.${status}`} value={n}>
                  {count(n)}
                </Num>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Realized savings of automated patterns</h2>
      <RealizedTable rows={realized} />
    </>
  );
}

/** `analyze realized` as a table: what each automation changed, with its verdict in words. */
export function RealizedTable(props: { rows: PatternRealizedSavings[] }) {
  if (props.rows.length === 0)
    return (
      <Empty>
        No pattern is automated yet. Approve one (<code>patternloop review approve PATTERN</code>), then{" "}
        <code>patternloop automate PATTERN</code>: its savings are measured on the runs after that.
      </Empty>
    );
  return (
    <table>
      <caption>
        Runs after each automation against runs before; a saving is shown only when its interval excludes 0
      </caption>
      <Heads
        columns={[
          "pattern",
          "since",
          { num: "runs before / after" },
          { num: "script share after" },
          { num: "saving per run" },
          "verdict",
        ]}
      />
      <tbody>
        {props.rows.map((row) => (
          <tr>
            <td>
              <code>{row.pattern_signature}</code> <span class="status">{row.automation_status}</span>
            </td>
            <td>{day(row.activated_at)}</td>
            <td class="num">{`${count(row.before.runs)} / ${count(row.after.runs)}`}</td>
            <Num figure="script_share" value={row.after.script_share}>
              {percent(row.after.script_share)}
            </Num>
            <Num figure="saving_per_run" value={row.verdict === "saving" ? row.saving_per_run : null}>
              {row.verdict === "saving" ? usd(row.saving_per_run) : "-"}
            </Num>
            <td class={`verdict-${row.verdict}`}>{row.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
