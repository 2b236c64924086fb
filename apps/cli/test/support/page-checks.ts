/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The checks run inside the page: their callbacks see the DOM, not Node.
import type { Page } from "playwright-core";

/** The raw value of each `data-figure` element of the page (or under `scope`), by figure name. */
export async function figuresOf(page: Page, scope = "main"): Promise<Record<string, string>> {
  return page.$$eval(`${scope} [data-figure][data-value]`, (elements) =>
    Object.fromEntries(
      elements.map((element) => [element.getAttribute("data-figure"), element.getAttribute("data-value")]),
    ),
  );
}

/** The same figure of every row of a table, in the order shown. */
export function columnOf(page: Page, figure: string, table = "table[data-pattern-table]"): Promise<string[]> {
  return page.$$eval(`${table} tbody tr:not([hidden]) [data-figure="${figure}"]`, (cells) =>
    cells.map((cell) => cell.getAttribute("data-value") ?? ""),
  );
}

/**
 * Text whose contrast with its background is under 4.5:1 (WCAG AA for normal text): each element with
 * text of its own against the first opaque background up its ancestors.
 */
export function lowContrastText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element: Element | null): number[] => {
      for (let node = element; node !== null; node = node.parentElement) {
        const colour = rgb(getComputedStyle(node).backgroundColor);
        if (colour.length === 3 || (colour[3] ?? 0) >= 1) return colour;
      }
      return [255, 255, 255];
    };
    const problems: string[] = [];
    for (const element of document.querySelectorAll("body *")) {
      const own = [...element.childNodes].some(
        (n) => n.nodeType === 3 && (n.textContent ?? "").trim() !== "",
      );
      if (!own || (element as HTMLElement).offsetParent === null) continue;
      const style = getComputedStyle(element);
      const a = luminance(rgb(style.color));
      const b = luminance(background(element));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5)
        problems.push(
          `${element.tagName} "${(element.textContent ?? "").trim().slice(0, 30)}" ${ratio.toFixed(2)}`,
        );
    }
    return problems;
  });
}

/** Presses Tab until an element matching `selector` has the focus; the presses it took, or null. */
export async function tabsTo(page: Page, selector: string, limit = 60): Promise<number | null> {
  for (let presses = 1; presses <= limit; presses += 1) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return presses;
  }
  return null;
}
