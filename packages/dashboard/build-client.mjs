// Builds the client bundle (uPlot included) and the stylesheet into dist/assets, so that the served pages
// and the one-file report carry everything they need: nothing is fetched from the network.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";

const out = new URL("./dist/assets/", import.meta.url);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL("./src/client/dashboard-client.ts", import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  outfile: new URL("dashboard.js", out).pathname,
});
const require = createRequire(import.meta.url);
const uplotCss = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
const ownCss = readFileSync(new URL("./src/dashboard.css", import.meta.url), "utf8");
writeFileSync(new URL("dashboard.css", out), `${uplotCss}\n${ownCss}`);
