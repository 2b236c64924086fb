import type uPlot from "uplot";

interface ChartSpec {
  kind: "bars" | "line";
  days: string[];
  series: { label: string; values: (number | null)[]; unit: "usd" | "count" | "percent" }[];
}

/** Two colours with at least 4.5:1 contrast on white, told apart by shape too (bars and lines, dashes). */
const COLOURS = ["#1f5fa8", "#a8431f"];

const FORMAT: Record<ChartSpec["series"][number]["unit"], (value: number) => string> = {
  usd: (value) => `$${value.toLocaleString("en-US", { maximumFractionDigits: value < 1 ? 4 : 2 })}`,
  count: (value) => Math.round(value).toLocaleString("en-US"),
  percent: (value) => `${(value * 100).toFixed(0)}%`,
};

/** Draws one chart into its box: days on x, each unit on its own scale and axis. */
export function drawChart(UPlot: typeof uPlot, box: HTMLElement, spec: ChartSpec): void {
  const xs = spec.days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
  const units = [...new Set(spec.series.map((series) => series.unit))];
  // A single day would span years on uPlot's own range: show a week around it.
  const only = xs.length === 1 ? (xs[0] ?? 0) : undefined;
  const scales: uPlot.Scales = {
    x:
      only === undefined
        ? { time: true }
        : { time: true, auto: false, range: [only - 3 * 86_400, only + 3 * 86_400] },
  };
  for (const unit of units) scales[unit] = unit === "percent" ? { range: [0, 1] } : {};
  const bars = UPlot.paths.bars?.({ size: [0.7, 40] });
  const options: uPlot.Options = {
    width: Math.max(280, box.clientWidth),
    height: 220,
    scales,
    series: [
      {},
      ...spec.series.map((series, i) => ({
        label: series.label,
        scale: series.unit,
        stroke: COLOURS[i % COLOURS.length],
        width: 2,
        ...(i > 0 ? { dash: [6, 4] } : {}),
        ...(spec.kind === "bars" && i === 0 ? { fill: `${COLOURS[0]}66`, paths: bars } : {}),
        value: (_: uPlot, value: number | null) => (value === null ? "-" : FORMAT[series.unit](value)),
      })),
    ],
    axes: [
      { stroke: "#1b1f24" },
      ...units.map((unit, i) => ({
        scale: unit,
        side: i === 0 ? 3 : 1,
        stroke: "#1b1f24",
        grid: { show: i === 0 },
        values: (_: uPlot, ticks: number[]) => ticks.map((tick) => FORMAT[unit](tick)),
        size: 70,
      })),
    ],
  };
  new UPlot(options, [xs, ...spec.series.map((series) => series.values)] as uPlot.AlignedData, box);
}
