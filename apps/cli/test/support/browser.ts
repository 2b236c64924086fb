import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`), or the binary `PATTERNLOOP_CHROMIUM` names. */
export const CHROMIUM = process.env.PATTERNLOOP_CHROMIUM || "/usr/bin/chromium";

/** Whether a browser is there to test with; the browser tests skip with a plain message otherwise. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM)
  console.warn(
    `browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set PATTERNLOOP_CHROMIUM)`,
  );

/** Starts the browser (headless; no sandbox, since the tests run as root in CI). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/** Where the test runs write their screenshots (ignored by git). */
export function screenshotPath(name: string): string {
  const directory = fileURLToPath(new URL("../../test-output/screenshots/", import.meta.url));
  mkdirSync(directory, { recursive: true });
  return `${directory}${name}.png`;
}
