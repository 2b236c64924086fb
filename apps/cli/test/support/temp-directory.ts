import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const created: string[] = [];

/** A new empty directory for one test, removed after the test file. */
export function tempDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "patternloop-cli-test-"));
  created.push(directory);
  return directory;
}

afterAll(() => {
  for (const directory of created) rmSync(directory, { recursive: true, force: true });
});
