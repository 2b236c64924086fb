// @ts-check
// The floor of `ingest workflows`, a whole process like the ingest it is set beside (see backfill.ts): reading
// a JSON Lines file and JSON-parsing each of its lines, on one thread, storing nothing. An ingest that parses
// its lines on one thread cannot take less. Streamed, since at a million runs the file is gigabytes.
// Prints the number of lines parsed.
// Usage: node bench/ingest-floor.mjs <file>
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

const [file] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write("usage: ingest-floor.mjs <file>\n");
  process.exit(2);
}
let count = 0;
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (line.trim() === "") continue;
  JSON.parse(line);
  count++;
}
process.stdout.write(`${count}\n`);
