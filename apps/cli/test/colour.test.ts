import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { backfilledHistory } from "./support/history.js";
import { runInTerminal } from "./support/terminal.js";

const ESC = "\u001b[";

describe("colour on a terminal", { timeout: 120_000 }, () => {
  let database: string;
  beforeAll(() => {
    database = backfilledHistory().path;
  });
  const top = () => ["analyze", "top", "--db", database];

  it("colours the table headers on a terminal", () => {
    const run = runInTerminal(top());
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toContain(`${ESC}36m`);
  });

  it.each(["1", "true", "0"])("prints no colour with NO_COLOR=%s (any non-empty value)", (value) => {
    const run = runInTerminal(top(), { env: { NO_COLOR: value } });
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toContain("pattern");
    expect(run.stdout).not.toContain(ESC);
  });

  it("prints no colour with --no-color, before or after the command", () => {
    for (const args of [
      ["--no-color", ...top()],
      [...top(), "--no-color"],
    ]) {
      const run = runInTerminal(args);
      expect(run.status, run.stdout).toBe(0);
      expect(run.stdout).toContain("pattern");
      expect(run.stdout).not.toContain(ESC);
    }
  });

  it("prints no colour with FORCE_COLOR=0, and colour when piped only with FORCE_COLOR=1", () => {
    expect(runInTerminal(top(), { env: { FORCE_COLOR: "0" } }).stdout).not.toContain(ESC);
    expect(runCli(top()).stdout).not.toContain(ESC);
    expect(runCli(top(), { env: { FORCE_COLOR: "1", NO_COLOR: "" } }).stdout).toContain(`${ESC}36m`);
  });
});
