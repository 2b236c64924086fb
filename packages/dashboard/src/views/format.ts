// The CLI's renderings, from core, so a figure reads the same in the terminal and in the browser.
export { count, day, percent, usd } from "@patternloop/core";
