import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SOURCE = new URL(".", import.meta.url).pathname;
const FORBIDDEN =
  /from\s+["'](?:node:[^"']+|fs|path|os|child_process|crypto|http|https|net|stream|better-sqlite3|pg|kysely|mysql2?|sqlite3)["']|\b(?:process|Buffer|require)\s*[.(]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("@patternloop/core stays pure", () => {
  it("imports no Node module, Node global or database driver", () => {
    const files = sourceFiles(SOURCE);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) => FORBIDDEN.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("depends on nothing but zod at run time", () => {
    const manifest = JSON.parse(readFileSync(join(SOURCE, "..", "package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(["zod"]);
  });

  it("the purity check itself catches a Node import", () => {
    expect(FORBIDDEN.test('import { readFileSync } from "node:fs";')).toBe(true);
    expect(FORBIDDEN.test('import Database from "better-sqlite3";')).toBe(true);
    expect(FORBIDDEN.test("const x = process.env.X;")).toBe(true);
    expect(FORBIDDEN.test('import { z } from "zod";')).toBe(false);
  });
});
