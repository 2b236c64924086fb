import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

describe("patternloop --version", { timeout: 60_000 }, () => {
  it("prints the package's version, with -V as well, and exits 0", () => {
    for (const flag of ["--version", "-V"]) {
      const result = runCli([flag]);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`${manifest.version}\n`);
      expect(result.stderr).toBe("");
    }
  });
});
