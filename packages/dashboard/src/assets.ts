import { readFileSync } from "node:fs";

/** The client bundle and the stylesheet, built beside the compiled code (see build-client.mjs). */
export interface DashboardAssets {
  script: string;
  style: string;
}

let assets: DashboardAssets | undefined;

/** Reads the built assets once; the package's build writes them to dist/assets. */
export function readAssets(): DashboardAssets {
  assets ??= {
    script: readFileSync(new URL("./assets/dashboard.js", import.meta.url), "utf8"),
    style: readFileSync(new URL("./assets/dashboard.css", import.meta.url), "utf8"),
  };
  return assets;
}
