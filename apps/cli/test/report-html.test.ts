import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { HAS_CHROMIUM, launchChromium, screenshotPath } from "./support/browser.js";
import { runJson, runOk } from "./support/history.js";
import { columnOf, figuresOf } from "./support/page-checks.js";
import { tempDirectory } from "./support/temp-directory.js";

/** Every canvas of the page that is displayed has a size and at least one pixel drawn. */
function drawnCanvases(page: Page): Promise<{ shown: number; blank: number }> {
  return page.$$eval("canvas", (canvases) => {
    const shown = canvases.filter((canvas) => canvas.offsetParent !== null);
    const blank = shown.filter((canvas) => {
      const context = canvas.getContext("2d");
      if (canvas.width === 0 || canvas.height === 0 || context === null) return true;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) return false;
      return true;
    });
    return { shown: shown.length, blank: blank.length };
  });
}

describe("patternloop report --html", { timeout: 180_000 }, () => {
  let directory: string;
  let db: string;
  beforeAll(() => {
    directory = tempDirectory();
    db = join(directory, "demo.sqlite");
    runOk(["demo", "--db", db]);
  }, 120_000);

  it("refuses a missing --html or a directory that is not there, in one line, writing nothing", () => {
    const missing = runCli(["report", "--db", db]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("required option '--html <file>' not specified");
    const nowhere = runCli(["report", "--db", db, "--html", join(directory, "no", "report.html")]);
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr.trim().split("\n")).toHaveLength(1);
    expect(nowhere.stderr).toContain("--html: no directory");
    expect(readdirSync(directory).sort()).toEqual(["demo.sqlite"]);
  });

  describe.skipIf(!HAS_CHROMIUM)("opened from file:// in Chromium", () => {
    let browser: Browser;
    let page: Page;
    const elsewhere: string[] = [];
    let file: string;

    beforeAll(async () => {
      file = join(directory, "report.html");
      runOk(["report", "--db", db, "--html", file]);
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      // Any request but the file itself fails the test: the report must carry everything it needs.
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file://")) return route.continue();
        elsewhere.push(url);
        return route.abort();
      });
      page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
    });

    it("shows the overview with its charts drawn and the CLI's summary", async () => {
      expect(existsSync(file)).toBe(true);
      await expect(page.locator("#overview h1").textContent()).resolves.toBe("Overview");
      expect(await drawnCanvases(page)).toEqual({ shown: 2, blank: 0 });
      const summary = runJson(["analyze", "summary", "--db", db]);
      const shown = await figuresOf(page, "#overview");
      expect(Number(shown.total_patterns)).toBe(summary.total_patterns);
      expect(Number(shown.potential_monthly_savings)).toBeCloseTo(summary.potential_monthly_savings, 9);
      await page.screenshot({ path: screenshotPath("report-overview"), fullPage: true });
    });

    // A click moves to another view through the page's script: each check waits (bounded) for the view it
    // expects, since isVisible() looks once and can look before the script has run.
    it("moves between views in the page, sorts the patterns, opens a pattern's page with its charts", async () => {
      await page.getByRole("link", { name: "Patterns" }).click();
      await page.locator("#patterns").waitFor({ state: "visible", timeout: 10_000 });
      await page.locator("#overview").waitFor({ state: "hidden", timeout: 10_000 });
      await page.locator('button[data-sort="occurrences"]').click();
      const occurrences = (await columnOf(page, "occurrence_count")).map(Number);
      expect(occurrences).toEqual([...occurrences].sort((a, b) => b - a));
      const top = runJson(["analyze", "top", "--db", db, "--limit", "1"]);
      expect(occurrences[0]).toBe(top[0].occurrence_count);
      await page.locator("table[data-pattern-table] tbody tr").first().locator("a").click();
      await page.locator(`#pattern-${top[0].id}`).waitFor({ state: "visible", timeout: 10_000 });
      const drawn = await drawnCanvases(page);
      expect(drawn.shown).toBeGreaterThan(0);
      expect(drawn.blank).toBe(0);
      await page.screenshot({ path: screenshotPath("report-pattern"), fullPage: true });
      await page.getByRole("link", { name: "Validation" }).click();
      await page.locator("#validation h1").waitFor({ state: "visible", timeout: 10_000 });
      expect(elsewhere).toEqual([]);
    });
  });
});
