import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const folder = mkdtempSync(join(tmpdir(), "patternloop-readme-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The first code block under the README's `## Example` heading. */
function readmeExample(): string {
  const readme = readFileSync(join(PACKAGE, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Example"));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error("README.md has no ts block under ## Example");
  return block[1];
}

// A child process compiling TypeScript: seconds on a loaded machine, over vitest's 5 s default (it timed out in CI).
describe("the README's example", { timeout: 60_000 }, () => {
  it("runs as written against the built package and prints what the README says", () => {
    // A folder of its own where `@patternloop/db` resolves to this package, as it does for a user; tsx (the
    // repository's) strips the types.
    mkdirSync(join(folder, "node_modules", "@patternloop"), { recursive: true });
    symlinkSync(PACKAGE, join(folder, "node_modules", "@patternloop", "db"), "dir");
    writeFileSync(join(folder, "example.mts"), readmeExample());
    const output = execFileSync(process.execPath, ["--import", import.meta.resolve("tsx"), "example.mts"], {
      cwd: folder,
      encoding: "utf8",
    });
    expect(output).toBe("test:pytest:backend 2\n[]\n");
  });
});
