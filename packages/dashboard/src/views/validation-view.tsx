import type { PredictionTally } from "@patternloop/db";
import type { ValidationData } from "../load/validation-data.js";
import { TREND_DAYS } from "../load/validation-data.js";
import { Chart } from "./chart.js";
import { Card, Heads, Num } from "./figure.js";
import { count, percent } from "./format.js";
import { Empty } from "./layout.js";

export function ValidationView(props: { data: ValidationData; headingId?: string }) {
  const { summary, trend, coverage, rates, byType } = props.data;
  return (
    <>
      <h1 id={props.headingId}>Validation</h1>
      {summary.total_predictions === 0 ? (
        <Empty>
          No predictions yet. They are made when a run starts (<code>POST /v1/runs</code> or the Claude Code
          hook), checked when it completes, and <code>patternloop backfill</code> replays them over the
          history.
        </Empty>
      ) : null}
      <dl class="cards">
        <Card label="Predictions" figure="total_predictions" value={summary.total_predictions}>
          {count(summary.total_predictions)}
        </Card>
        <Card label="Validated" figure="total_validations" value={summary.total_validations}>
          {count(summary.total_validations)}
        </Card>
        <Card label="Overall accuracy" figure="overall_accuracy" value={summary.overall_accuracy}>
          {percent(summary.overall_accuracy)}
        </Card>
        <Card label="Coverage of completed runs" figure="coverage" value={coverage.coverage}>
          {percent(coverage.coverage)}
        </Card>
        <Card label="False-positive rate" figure="false_positive_rate" value={rates.false_positive_rate}>
          {percent(rates.false_positive_rate)}
        </Card>
        <Card label="False-negative rate" figure="false_negative_rate" value={rates.false_negative_rate}>
          {percent(rates.false_negative_rate)}
        </Card>
      </dl>
      <p class="note">
        {`${count(coverage.runs_with_predictions)} of ${count(coverage.completed_runs)} completed runs had predictions. `}
        {`False positives: ${count(rates.false_positives)} wrong predictions of ${count(rates.true_positives + rates.false_positives)} validated; false negatives: ${count(rates.false_negatives)} occurrences not predicted in runs whose predictions were checked.`}
      </p>
      <h2>Live and replayed</h2>
      <table>
        <caption>
          Predictions made at run start and those replayed over the history, never added together
        </caption>
        <Heads columns={["origin", { num: "predictions" }, { num: "validated" }, { num: "accuracy" }]} />
        <tbody>
          <TallyRow origin="live" tally={summary.live} />
          <TallyRow origin="replayed" tally={summary.replayed} />
        </tbody>
      </table>
      <h2>Daily trend</h2>
      {trend.length === 0 ? (
        <Empty>{`No prediction was validated in the last ${TREND_DAYS} days.`}</Empty>
      ) : (
        <Chart
          id="validation-trend"
          title={`Validations and accuracy per day, last ${TREND_DAYS} days`}
          spec={{
            kind: "line",
            days: trend.map((d) => d.day),
            series: [
              { label: "accuracy", values: trend.map((d) => d.accuracy), unit: "percent" },
              { label: "validations", values: trend.map((d) => d.validations), unit: "count" },
            ],
          }}
          summary={`${count(trend.reduce((sum, d) => sum + d.validations, 0))} validations, on ${trend.length} day${trend.length === 1 ? "" : "s"} with one`}
        />
      )}
      <h2>Accuracy by category</h2>
      {byType.length === 0 ? (
        <Empty>Nothing validated yet.</Empty>
      ) : (
        <table>
          <caption>Validated predictions per pattern type</caption>
          <Heads columns={["category", { num: "validated" }, { num: "correct" }, { num: "accuracy" }]} />
          <tbody>
            {byType.map((row) => (
              <tr>
                <th scope="row">{row.pattern_type}</th>
                <Num figure="validations" value={row.validations}>
                  {count(row.validations)}
                </Num>
                <Num figure="correct" value={row.correct}>
                  {count(row.correct)}
                </Num>
                <Num figure="accuracy" value={row.accuracy}>
                  {percent(row.accuracy)}
                </Num>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function TallyRow(props: { origin: string; tally: PredictionTally }) {
  return (
    <tr data-origin={props.origin}>
      <th scope="row">{props.origin}</th>
      <Num figure="predictions" value={props.tally.predictions}>
        {count(props.tally.predictions)}
      </Num>
      <Num figure="validations" value={props.tally.validations}>
        {count(props.tally.validations)}
      </Num>
      <Num figure="accuracy" value={props.tally.accuracy}>
        {percent(props.tally.accuracy)}
      </Num>
    </tr>
  );
}
