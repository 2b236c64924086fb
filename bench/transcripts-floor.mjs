// @ts-check
// The floors of the transcript benchmark, each a whole process like the ingest it is set beside (see
// transcripts.ts): reading every `*.jsonl` under a directory and JSON-parsing each of its lines, or, with
// --stat, only `stat`-ing each file (what re-reading unchanged files cannot do without). Prints the count.
// Usage: node bench/transcripts-floor.mjs <directory> [--stat]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const [dir, mode] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write("usage: transcripts-floor.mjs <directory> [--stat]\n");
  process.exit(2);
}
const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
  .filter((name) => name.endsWith(".jsonl"))
  .map((name) => join(dir, name));
let count = 0;
for (const file of files) {
  if (mode === "--stat") {
    count += statSync(file).size > 0 ? 1 : 0;
    continue;
  }
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      JSON.parse(line);
      count++;
    } catch {
      // Counted as read all the same: the ingest reads such lines too.
    }
  }
}
process.stdout.write(`${count}\n`);
