import type { CommandUse } from "@patternloop/core";
import { describe, expect, it } from "vitest";
import { chooseScriptCommand } from "./script-command.js";

function use(command: string, extra: Partial<CommandUse> = {}): CommandUse {
  return {
    command,
    count: 5,
    calls: 5,
    free_text: false,
    directories: [],
    projects: [],
    example: command,
    ...extra,
  };
}

describe("chooseScriptCommand", () => {
  it("skips commands carrying the agent's text or values only the agent knows", () => {
    const chosen = chooseScriptCommand([
      use("git add -A && git commit -m <message>", { free_text: true }),
      use("git log --oneline -<n>"),
      use("git show <rev>"),
      use("uv run pytest -q <paths>", { directories: [{ name: "app/server", count: 4 }] }),
    ]);
    expect(chosen).toMatchObject({
      shape: "uv run pytest -q <paths>",
      shell: 'uv run pytest -q "$@"',
      directories: [{ name: "app/server", count: 4 }],
      leadingWords: ["uv", "run", "pytest", "-q"],
      takesArguments: true,
    });
  });

  it("passes paths at the end of a lone command, and none into a chain that had none", () => {
    expect(chooseScriptCommand([use("node --test")])?.shell).toBe('node --test "$@"');
    expect(chooseScriptCommand([use("npm run build && npm test")])).toMatchObject({
      shell: "npm run build && npm test",
      takesArguments: false,
    });
  });

  it("quotes words the shell would expand, keeping the operators", () => {
    expect(chooseScriptCommand([use("echo $HOME {a,b}")])?.shell).toBe(`echo '$HOME' '{a,b}' "$@"`);
    expect(chooseScriptCommand([use("npm run build && npm test -- <paths>")])?.shell).toBe(
      'npm run build && npm test -- "$@"',
    );
  });

  it("gives nothing when no command can be scripted", () => {
    expect(chooseScriptCommand([])).toBeUndefined();
    expect(chooseScriptCommand([use("git commit -m <message>", { free_text: true })])).toBeUndefined();
    // A here-document leaves no placeholder in the shape, only the free-text mark.
    expect(chooseScriptCommand([use("python3 -", { free_text: true })])).toBeUndefined();
    expect(chooseScriptCommand([use("cp <paths> <paths>")])).toBeUndefined();
    expect(chooseScriptCommand([use("docker run $(cat image)")])).toBeUndefined();
  });
});
