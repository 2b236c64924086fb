import { join } from "node:path";
import { createDatabase, historyTotals } from "@patternloop/db";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAS_CHROMIUM, launchChromium, screenshotPath } from "./support/browser.js";
import { runJson, runOk } from "./support/history.js";
import { columnOf, figuresOf, lowContrastText, tabsTo } from "./support/page-checks.js";
import { type ServeChild, serveChild } from "./support/serve-child.js";
import { tempDirectory } from "./support/temp-directory.js";

/** The pattern moved through its lifecycle to `implemented`, so that every part of its page has content. */
const AUTOMATED = "git:add:summary";

describe.skipIf(!HAS_CHROMIUM)("the dashboard of serve, in Chromium", { timeout: 180_000 }, () => {
  let db: string;
  let browser: Browser;
  let server: ServeChild;
  let page: Page;
  const analyze = (...args: string[]) => runJson(["analyze", ...args, "--db", db]);

  beforeAll(async () => {
    db = join(tempDirectory(), "demo.sqlite");
    runOk(["demo", "--db", db]);
    for (const step of ["approve", "implement"])
      runOk(["review", step, AUTOMATED, "--by", "test", "--note", `${step} in the test`, "--db", db]);
    server = await serveChild(db);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("overview: the history's totals and the CLI's summary, with both charts drawn", async () => {
    await page.goto(`${server.base}/`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Overview");
    const shown = await figuresOf(page);
    const summary = analyze("summary");
    expect(Number(shown.total_patterns)).toBe(summary.total_patterns);
    expect(Number(shown.potential_monthly_savings)).toBeCloseTo(summary.potential_monthly_savings, 9);
    expect(Number(shown.tool_cost_share)).toBe(summary.savings_model.tool_cost_share);
    expect(Number(shown.history_days)).toBeCloseTo(summary.savings_model.history_days, 9);
    for (const [status, n] of Object.entries(summary.patterns_by_status))
      expect(Number(shown[`patterns_by_status.${status}`]), status).toBe(n);
    expect(shown.replayed_accuracy).toBe(String(summary.predictions.replayed.accuracy));
    const database = await createDatabase(db, { requireHistory: true });
    try {
      const totals = await historyTotals(database.db);
      expect(Number(shown.runs)).toBe(totals.runs);
      expect(Number(shown.total_cost)).toBeCloseTo(totals.total_cost, 9);
      expect(Number(shown.pattern_cost)).toBeCloseTo(totals.pattern_cost, 9);
    } finally {
      await database.close();
    }
    const realized = analyze("realized");
    expect(realized.map((row: { pattern_signature: string }) => row.pattern_signature)).toEqual([AUTOMATED]);
    await expect(page.locator("main").textContent()).resolves.toContain(realized[0].reason);
    await expect(page.locator("canvas").count()).resolves.toBe(2);
    await page.screenshot({ path: screenshotPath("overview"), fullPage: true });
  });

  it("patterns: ranked as `analyze top` when sorted by runs, filtered by the form", async () => {
    await page.goto(`${server.base}/patterns?sort=occurrences&dir=desc`);
    const top = analyze("top", "--limit", "1000");
    const signatures = await page.$$eval("table[data-pattern-table] tbody th[scope=row]", (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(signatures).toEqual(top.map((row: { pattern_signature: string }) => row.pattern_signature));
    expect((await columnOf(page, "occurrence_count")).map(Number)).toEqual(
      top.map((row: { occurrence_count: number }) => row.occurrence_count),
    );
    const savings = (await columnOf(page, "potential_monthly_savings")).map(Number);
    const scriptability = (await columnOf(page, "scriptability")).map(Number);
    top.forEach((row: { potential_monthly_savings: number; scriptability: number }, i: number) => {
      expect(savings[i]).toBeCloseTo(row.potential_monthly_savings, 9);
      expect(scriptability[i]).toBeCloseTo(row.scriptability, 9);
    });
    await page.screenshot({ path: screenshotPath("patterns"), fullPage: true });

    // The filter form works without scripts: a GET with the choice in the query string.
    await page.getByLabel("Category").selectOption("git");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/category=git/);
    const categories = await page.$$eval("table[data-pattern-table] tbody tr", (rows) =>
      rows.map((row) => row.getAttribute("data-category")),
    );
    expect(categories.length).toBe(
      top.filter((row: { pattern_type: string }) => row.pattern_type === "git").length,
    );
    expect(new Set(categories)).toEqual(new Set(["git"]));
  });

  it("a pattern's page: `analyze details`' figures and commands, its lifecycle and realized savings", async () => {
    await page.goto(`${server.base}/patterns/${AUTOMATED}`);
    const details = analyze("details", AUTOMATED);
    const shown = await figuresOf(page, "main dl");
    expect(Number(shown.occurrence_count)).toBe(details.pattern.occurrence_count);
    expect(Number(shown.potential_monthly_savings)).toBeCloseTo(details.pattern.potential_monthly_savings, 9);
    expect(Number(shown.scriptability)).toBeCloseTo(details.scriptability.scriptability, 9);
    const commands = await page.$$eval("main table:first-of-type tbody th[scope=row]", (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(commands).toEqual(details.commands.map((command: { command: string }) => command.command));
    const lifecycle = await page.locator("main").textContent();
    expect(lifecycle).toContain("implement in the test");
    await expect(page.locator("canvas").count()).resolves.toBe(2);
    await page.screenshot({ path: screenshotPath("pattern"), fullPage: true });
  });

  it("validation: `analyze accuracy` and `coverage`, live and replayed apart", async () => {
    await page.goto(`${server.base}/validation`);
    const accuracy = analyze("accuracy");
    const coverage = analyze("coverage");
    const shown = await figuresOf(page, "main dl");
    expect(Number(shown.total_predictions)).toBe(accuracy.total_predictions);
    expect(shown.overall_accuracy).toBe(String(accuracy.overall_accuracy));
    expect(shown.false_positive_rate).toBe(String(accuracy.false_positive_rate));
    expect(shown.false_negative_rate).toBe(String(accuracy.false_negative_rate));
    expect(shown.coverage).toBe(String(coverage.coverage));
    const replayed = await figuresOf(page, "tr[data-origin=replayed]");
    expect(Number(replayed.validations)).toBe(accuracy.replayed.validations);
    await page.screenshot({ path: screenshotPath("validation"), fullPage: true });
  });

  it("is accessible: one h1, tables with headers, labelled filters, keyboard reaches them, contrast ≥ 4.5", async () => {
    for (const path of ["/", "/patterns", `/patterns/${AUTOMATED}`, "/validation"]) {
      await page.goto(`${server.base}${path}`);
      await expect(page.locator("h1").count(), path).resolves.toBe(1);
      await expect(page.locator("html").getAttribute("lang")).resolves.toBe("en");
      // uPlot's legend is a table inside the chart's role="img" box, whose children are presentational.
      const headless = await page.$$eval(
        "table:not([role=img] table)",
        (tables) => tables.filter((t) => t.querySelector("th[scope]") === null).length,
      );
      expect(headless, `${path}: tables without header cells`).toBe(0);
      expect(await lowContrastText(page), path).toEqual([]);
    }
    await page.goto(`${server.base}/patterns`);
    for (const label of ["Category", "Status", "Project"])
      await expect(page.getByLabel(label).evaluate((e) => e.tagName)).resolves.toBe("SELECT");
    expect(await tabsTo(page, "#filter-category")).not.toBeNull();
    expect(await tabsTo(page, 'th[data-sort-key="occurrences"] a')).not.toBeNull();
    // A sort header is a link: Enter follows it, and the header says how the table is sorted.
    await page.keyboard.press("Enter");
    await page.waitForURL(/sort=occurrences/);
    await expect(page.locator('th[data-sort-key="occurrences"]').getAttribute("aria-sort")).resolves.toBe(
      "descending",
    );
  });

  it("says plainly what is missing: an unknown pattern is a 404 page, not an error", async () => {
    const response = await page.goto(`${server.base}/patterns/no:such:pattern`);
    expect(response?.status()).toBe(404);
    await expect(page.locator("h1").textContent()).resolves.toBe("Unknown pattern");
  });
});
