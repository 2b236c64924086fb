import type { SavingsModel } from "@patternloop/core";
import type { PatternloopDatabase } from "@patternloop/db";
import { raw } from "hono/html";
import { readAssets } from "./assets.js";
import { loadOverview } from "./load/overview-data.js";
import { loadPattern } from "./load/pattern-data.js";
import { DEFAULT_PATTERN_QUERY } from "./load/pattern-query.js";
import { loadPatterns } from "./load/patterns-data.js";
import { loadValidation } from "./load/validation-data.js";
import { Navigation } from "./views/layout.js";
import { reportLinks } from "./views/links.js";
import { OverviewView } from "./views/overview-view.js";
import { PatternView } from "./views/pattern-view.js";
import { MAX_ROWS, PatternsView } from "./views/patterns-view.js";
import { ValidationView } from "./views/validation-view.js";

export interface ReportOptions {
  savings?: SavingsModel;
  /** How many patterns get a page of their own, in the list's order (default 50). */
  patternPages?: number;
  /** When the report was made; now by default. */
  now?: Date;
}

/** What a report holds, for the line the CLI prints. */
export interface ReportSummary {
  html: string;
  patterns: number;
  pattern_pages: number;
}

/**
 * The dashboard's views as one HTML document with its styles, script and data inline: it opens from disk with
 * no server and fetches nothing. Each view is a section; the address's fragment picks the one shown.
 */
export async function renderReport(
  database: PatternloopDatabase,
  options: ReportOptions = {},
): Promise<ReportSummary> {
  const now = options.now ?? new Date();
  const overview = await loadOverview(database, options.savings);
  const patterns = await loadPatterns(database, DEFAULT_PATTERN_QUERY, options.savings);
  const validation = await loadValidation(database, now);
  const pages = [];
  for (const row of patterns.rows.slice(0, Math.min(MAX_ROWS, options.patternPages ?? 50))) {
    const data = await loadPattern(database, String(row.id), options.savings);
    if (data !== undefined) pages.push(data);
  }
  const { script, style } = readAssets();
  const links = reportLinks;
  const document = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>patternloop report</title>
        <link rel="icon" href="data:," />
        <style>{raw(style.replace(/<\/style/gi, "<\\/style"))}</style>
      </head>
      <body data-report="1">
        <Navigation links={links} current="overview" />
        <main>
          <p class="note">{`Report written ${now.toISOString().slice(0, 16).replace("T", " ")} UTC by patternloop report --html.`}</p>
          <section class="report-view" id="overview" data-nav="overview">
            <OverviewView data={overview} links={links} />
          </section>
          <section class="report-view" id="patterns" data-nav="patterns">
            <PatternsView data={patterns} links={links} />
            {patterns.rows.length > pages.length ? (
              <p class="note">{`The first ${pages.length} patterns of the list have a page of their own in this report.`}</p>
            ) : null}
          </section>
          {pages.map((data) => (
            <section class="report-view" id={`pattern-${data.details.pattern.id}`} data-nav="patterns">
              <PatternView data={data} links={links} />
            </section>
          ))}
          <section class="report-view" id="validation" data-nav="validation">
            <ValidationView data={validation} />
          </section>
        </main>
        <script>{raw(script.replace(/<\/script/gi, "<\\/script"))}</script>
      </body>
    </html>
  );
  return {
    html: `<!doctype html>${document.toString()}`,
    patterns: patterns.rows.length,
    pattern_pages: pages.length,
  };
}
