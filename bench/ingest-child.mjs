// @ts-check
// Runs the patternloop CLI in this process and, as it exits, writes the process's peak resident memory (MB)
// to a file, which the benchmark cannot read from outside: Node gives a parent no child's `getrusage`.
// Usage: node bench/ingest-child.mjs <file for the peak MB> <patternloop bin> [arguments…]
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [out, bin, ...args] = process.argv.slice(2);
if (out === undefined || bin === undefined) {
  process.stderr.write("usage: ingest-child.mjs <peak file> <patternloop bin> [arguments…]\n");
  process.exit(2);
}
process.on("exit", () => {
  // Kilobytes on Linux and macOS.
  writeFileSync(out, String((process.resourceUsage().maxRSS * 1024) / (1024 * 1024)));
});
// The CLI reads its arguments from process.argv, as when it is run as `node <bin> …`.
process.argv = [process.argv[0] ?? "node", bin, ...args];
await import(pathToFileURL(bin).href);
