import type { PatternData } from "../load/pattern-data.js";
import { Chart } from "./chart.js";
import { Card, Heads, Num } from "./figure.js";
import { count, day, percent, usd } from "./format.js";
import { Empty } from "./layout.js";
import type { Links } from "./links.js";
import { RealizedTable } from "./overview-view.js";
import { SavingsNote } from "./savings-note.js";

export function PatternView(props: { data: PatternData; links: Links; headingId?: string }) {
  const { details, occurrencesByDay, accuracyByDay, lifecycle, realized } = props.data;
  const p = details.pattern;
  const id = `p${p.id}`;
  return (
    <>
      <p class="muted">
        <a href={props.links.patterns()}>Patterns</a> › pattern {p.id}
      </p>
      <h1 id={props.headingId}>
        <code>{p.pattern_signature}</code> <span class="status">{p.automation_status}</span>
      </h1>
      <dl class="cards">
        <Card label="Runs" figure="occurrence_count" value={p.occurrence_count}>
          {count(p.occurrence_count)}
        </Card>
        <Card label="Cost per use (LLM)" figure="avg_cost_with_llm" value={p.avg_cost_with_llm}>
          {usd(p.avg_cost_with_llm)}
        </Card>
        <Card
          label="Potential savings a month"
          figure="potential_monthly_savings"
          value={p.potential_monthly_savings}
        >
          {usd(p.potential_monthly_savings)}
        </Card>
        <Card label="Scriptability" figure="scriptability" value={details.scriptability.scriptability}>
          {percent(details.scriptability.scriptability)}
        </Card>
        <Card label="Confidence" figure="confidence_score" value={p.confidence_score}>
          {p.confidence_score.toFixed(1)}
        </Card>
        <Card label="Prediction accuracy" figure="prediction_accuracy" value={p.prediction_accuracy}>
          {percent(p.prediction_accuracy)}
        </Card>
      </dl>
      <SavingsNote assumptions={details.savings_model} />
      <h2>Commands to script</h2>
      {details.commands.length === 0 ? (
        <Empty>No command was recorded with its occurrences (they were found in the requests only).</Empty>
      ) : (
        <table>
          <caption>The commands that performed it, most runs first, with the directories they ran in</caption>
          <Heads columns={["command", { num: "runs" }, "directories", "projects"]} />
          <tbody>
            {details.commands.map((command) => (
              <tr>
                <th scope="row">
                  <code>{command.command}</code>
                </th>
                <Num figure="command_runs" value={command.count}>
                  {count(command.count)}
                </Num>
                <td>{command.directories.length === 0 ? "-" : tallies(command.directories)}</td>
                <td>{tallies(command.projects)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="charts">
        <Chart
          id={`${id}-occurrences`}
          title="Occurrences and attributed cost per day"
          spec={{
            kind: "bars",
            days: occurrencesByDay.map((d) => d.day),
            series: [
              { label: "occurrences", values: occurrencesByDay.map((d) => d.occurrences), unit: "count" },
              { label: "cost", values: occurrencesByDay.map((d) => d.cost), unit: "usd" },
            ],
          }}
          summary={`${count(p.occurrence_count)} runs, on ${occurrencesByDay.length} day${occurrencesByDay.length === 1 ? "" : "s"} with a run`}
        />
        {accuracyByDay.length === 0 ? (
          <Empty>
            No prediction of this pattern has been validated yet: predictions are checked when their run
            completes, and <code>patternloop backfill</code> replays them over the history.
          </Empty>
        ) : (
          <Chart
            id={`${id}-accuracy`}
            title="Prediction accuracy per day"
            spec={{
              kind: "line",
              days: accuracyByDay.map((d) => d.day),
              series: [
                { label: "accuracy", values: accuracyByDay.map((d) => d.accuracy), unit: "percent" },
                {
                  label: "live accuracy",
                  values: accuracyByDay.map((d) =>
                    d.live_validations === 0 ? null : d.live_correct / d.live_validations,
                  ),
                  unit: "percent",
                },
              ],
            }}
            summary={`${count(p.validated_count)} validated predictions, ${percent(p.prediction_accuracy)} correct`}
          />
        )}
      </div>
      <h2>Lifecycle</h2>
      {lifecycle.length === 0 ? (
        <Empty>
          Still <span class="status">{p.automation_status}</span>: no status change recorded. Review it with{" "}
          <code>patternloop review</code>.
        </Empty>
      ) : (
        <table>
          <caption>Every change of its status, oldest first</caption>
          <Heads columns={["when", "from", "to", "by", "note"]} />
          <tbody>
            {lifecycle.map((entry) => (
              <tr>
                <td>{day(entry.changed_at)}</td>
                <td>{entry.from_status ?? "-"}</td>
                <td>{entry.to_status}</td>
                <td>{entry.changed_by ?? "-"}</td>
                <td>{entry.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Automation and realized savings</h2>
      {p.tool_script_path === null ? null : (
        <p>
          Script: <code>{p.tool_script_path}</code>
        </p>
      )}
      <RealizedTable rows={realized === undefined ? [] : [realized]} />
    </>
  );
}

/** The first few names with their runs, and how many more there are. */
function tallies(list: readonly { name: string; count: number }[], shown = 3): string {
  const first = list.slice(0, shown).map((t) => `${t.name} (${count(t.count)})`);
  return list.length > shown ? `${first.join(", ")} and ${list.length - shown} more` : first.join(", ");
}
