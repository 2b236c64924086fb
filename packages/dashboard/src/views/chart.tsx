/** One series of a chart: its name and a value per x (null for a gap). */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** How the client formats a value on the axis and in the legend. */
  unit: "usd" | "count" | "percent";
}

/** What the client bundle draws: days on x, one or more series, drawn as bars or lines. */
export interface ChartSpec {
  kind: "bars" | "line";
  /** Days as `YYYY-MM-DD`. */
  days: string[];
  series: ChartSeries[];
}

/**
 * A chart: its data travels in the page as JSON (escaped for a script element) and the client bundle draws
 * it. A text summary stands in for it for screen readers and when scripts are off.
 */
export function Chart(props: { title: string; spec: ChartSpec; summary: string; id: string }) {
  const json = JSON.stringify(props.spec).replace(/</g, "\\u003c");
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <div class="plot" data-chart={props.id} role="img" aria-label={`${props.title}: ${props.summary}`} />
      <p class="note">{props.summary}</p>
      <script type="application/json" id={`${props.id}-data`} dangerouslySetInnerHTML={{ __html: json }} />
    </figure>
  );
}
