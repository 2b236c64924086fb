// The dashboard's client bundle: draws the charts with uPlot and, in the one-file report, moves between the
// views and sorts and filters the pattern list in the page. The served pages work without it (links and a
// GET form); it only adds the charts there.
import uPlot from "uplot";
import { drawChart } from "./draw-chart.js";
import { enableReport } from "./report-navigation.js";

/** Draws every chart that is displayed and not drawn yet (uPlot needs the width of its box). */
export function drawVisibleCharts(): void {
  for (const box of document.querySelectorAll<HTMLElement>("[data-chart]")) {
    if (box.dataset.drawn === "1" || box.offsetParent === null) continue;
    const data = document.getElementById(`${box.dataset.chart}-data`);
    if (data === null) continue;
    box.dataset.drawn = "1";
    drawChart(uPlot, box, JSON.parse(data.textContent ?? "{}"));
  }
}

if (document.body.dataset.report === "1") enableReport(drawVisibleCharts);
drawVisibleCharts();
