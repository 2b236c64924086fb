import { createHash } from "node:crypto";

// A file `automate` wrote carries the hash of its own text, so a later run can tell the file it wrote
// (safe to rewrite) from one the user edited since (left alone unless forced), without remembering anything.

const MARKER = /^.*patternloop-sha256:([0-9a-f]{64}).*\n/m;

/** The text with a marker line holding its hash, placed where `lineOf(hash)` puts it (after line `after`). */
export function withMarker(text: string, after: number, lineOf: (hash: string) => string): string {
  const lines = text.split("\n");
  lines.splice(after, 0, lineOf(hashOf(text)));
  return lines.join("\n");
}

/** True when the text carries a marker and is exactly what was marked: nobody edited it since. */
export function isUnedited(text: string): boolean {
  const found = MARKER.exec(text);
  if (found === null) return false;
  return hashOf(text.replace(found[0], "")) === found[1];
}

/** `patternloop-sha256:<hex>`, for the marker line. */
export function markerOf(hash: string): string {
  return `patternloop-sha256:${hash}`;
}

function hashOf(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
