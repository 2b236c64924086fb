import type { SavingsModel } from "@patternloop/core";
import type { PatternloopDatabase } from "@patternloop/db";
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import { readAssets } from "./assets.js";
import { loadOverview } from "./load/overview-data.js";
import { loadPattern } from "./load/pattern-data.js";
import { parsePatternQuery } from "./load/pattern-query.js";
import { loadPatterns } from "./load/patterns-data.js";
import { loadValidation } from "./load/validation-data.js";
import { type CachedView, createViewCache } from "./load/view-cache.js";
import { Empty, Navigation, Page, type ViewName } from "./views/layout.js";
import { serverLinks } from "./views/links.js";
import { OverviewView } from "./views/overview-view.js";
import { PatternView } from "./views/pattern-view.js";
import { PatternsView } from "./views/patterns-view.js";
import { ValidationView } from "./views/validation-view.js";

export interface DashboardOptions {
  database: PatternloopDatabase;
  /** What the savings figures assume; the default model otherwise (as the CLI's `--tool-cost-share`). */
  savings?: SavingsModel;
}

/** Scripts from the package only; the charts' data sits in the page as inert JSON. */
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/**
 * The dashboard's pages, read-only: `/` (overview), `/patterns` (sortable, filterable by query string),
 * `/patterns/{id or signature}`, `/validation`, and the bundled assets under `/assets`. Mount it where the
 * pages should live; the pages link to each other from the root.
 */
export function dashboardRoutes({ database, savings }: DashboardOptions): Hono {
  const cache = createViewCache(database);
  const links = serverLinks();
  const page = (current: ViewName, title: string, body: Child, read?: CachedView<unknown>) =>
    `<!doctype html>${(
      (
        <Page title={title} assets="/assets">
          <Navigation links={links} current={current} />
          <main>
            {body}
            {read === undefined ? null : <Freshness read={read} />}
          </main>
        </Page>
      )
    ).toString()}`;
  const html = (body: string, status: 200 | 404 = 200) =>
    new Response(body, {
      status,
      headers: { "content-type": "text/html; charset=utf-8", ...SECURITY_HEADERS },
    });
  return new Hono()
    .get("/", async () => {
      const read = await cache.read("overview", () => loadOverview(database, savings));
      return html(page("overview", "Overview", <OverviewView data={read.value} links={links} />, read));
    })
    .get("/patterns", async (c) => {
      const query = parsePatternQuery(c.req.query());
      const read = await cache.read(`patterns:${JSON.stringify(query)}`, () =>
        loadPatterns(database, query, savings),
      );
      return html(page("patterns", "Patterns", <PatternsView data={read.value} links={links} />, read));
    })
    .get("/patterns/:pattern", async (c) => {
      const key = c.req.param("pattern");
      const read = await cache.read(`pattern:${key}`, () => loadPattern(database, key, savings));
      const data = read.value;
      if (data === undefined)
        return html(
          page(
            "patterns",
            "Unknown pattern",
            <>
              <h1>Unknown pattern</h1>
              <Empty>
                No pattern {JSON.stringify(key)}. <a href={links.patterns()}>See every pattern</a>.
              </Empty>
            </>,
          ),
          404,
        );
      return html(
        page(
          "pattern",
          data.details.pattern.pattern_signature,
          <PatternView data={data} links={links} />,
          read,
        ),
      );
    })
    .get("/validation", async () => {
      // The trend reaches back from today, so a new day is a new view even on an unchanged history.
      const read = await cache.read(`validation:${new Date().toISOString().slice(0, 10)}`, () =>
        loadValidation(database),
      );
      return html(page("validation", "Validation", <ValidationView data={read.value} />, read));
    })
    .get("/assets/dashboard.js", (c) =>
      c.body(readAssets().script, 200, {
        "content-type": "text/javascript; charset=utf-8",
        "cache-control": "public, max-age=3600",
      }),
    )
    .get("/assets/dashboard.css", (c) =>
      c.body(readAssets().style, 200, {
        "content-type": "text/css; charset=utf-8",
        "cache-control": "public, max-age=3600",
      }),
    );
}

/** When the figures shown were read, and whether newer ones are being read (after a write). */
function Freshness(props: { read: CachedView<unknown> }) {
  const at = props.read.asOf.toISOString().slice(0, 19).replace("T", " ");
  return (
    <p class="note" data-freshness={props.read.refreshing ? "refreshing" : "current"}>
      {props.read.refreshing
        ? `Figures as of ${at} UTC; the history has changed since, newer figures are being read: reload in a moment.`
        : `Figures as of ${at} UTC.`}
    </p>
  );
}
