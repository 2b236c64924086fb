import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const folder = mkdtempSync(join(tmpdir(), "patternloop-core-readme-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Every `ts` code block of the README, in order. */
const blocks = [...readFileSync(join(PACKAGE, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map(
  (match) => match[1] ?? "",
);

// A folder of its own where `@patternloop/core` resolves to this package (built), as it does for a user.
mkdirSync(join(folder, "node_modules", "@patternloop"), { recursive: true });
symlinkSync(PACKAGE, join(folder, "node_modules", "@patternloop", "core"), "dir");

/** Runs one block as written (tsx, the repository's, strips the types) and returns what it printed. */
function runBlock(index: number): string {
  const file = join(folder, `block-${index}.mts`);
  writeFileSync(file, blocks[index] ?? "");
  return execFileSync(process.execPath, ["--import", import.meta.resolve("tsx"), file], {
    cwd: folder,
    encoding: "utf8",
  });
}

describe("the README's code", { timeout: 60_000 }, () => {
  it("has the two examples", () => {
    expect(blocks).toHaveLength(2);
  });

  it("parses a record and detects its pattern, with evidence", () => {
    expect(runBlock(0)).toMatch(/^test:pytest:backend \{\n {2}source: 'tool_call',/);
  });

  it("configures a detector's targets in a shape createDetector takes, and prints what it says", () => {
    expect(runBlock(1)).toBe("[ 'build:typecheck:backend' ]\n[ 'build:typecheck:all' ]\n");
  });

  it("bundles for a browser, minified, to under 100 KB", async () => {
    writeFileSync(join(folder, "browser.ts"), blocks[0] ?? "");
    const result = await build({
      entryPoints: [join(folder, "browser.ts")],
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const bytes = result.outputFiles[0]?.contents.byteLength ?? 0;
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThan(100 * 1024);
  });
});
