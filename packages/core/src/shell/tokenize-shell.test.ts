import { describe, expect, it } from "vitest";
import { tokenizeShell } from "./tokenize-shell.js";

const words = (command: string) => tokenizeShell(command).map((segment) => segment.words);

describe("tokenizeShell", () => {
  it("splits chains, pipes and sequences", () => {
    expect(words("a && b; c | d || e & f")).toEqual([["a"], ["b"], ["c"], ["d"], ["e"], ["f"]]);
    expect(tokenizeShell("a && b | c").map((s) => s.joinedBy)).toEqual(["", "&&", "|"]);
  });

  it("reads quotes and escapes", () => {
    expect(words(`echo "a b" 'c d' e\\ f`)).toEqual([["echo", "a b", "c d", "e f"]]);
    expect(words(`git commit -m "fix: a && b"`)).toEqual([["git", "commit", "-m", "fix: a && b"]]);
  });

  it("drops redirections with their targets", () => {
    expect(words("npx tsc --noEmit 2>&1 | head -50")).toEqual([
      ["npx", "tsc", "--noEmit"],
      ["head", "-50"],
    ]);
    expect(words("pytest > out.txt 2> /dev/null")).toEqual([["pytest"]]);
    expect(words("npm run build &> build.log")).toEqual([["npm", "run", "build"]]);
    expect(words("cat<in.txt>out.txt")).toEqual([["cat"]]);
  });

  it("treats here-document bodies as data", () => {
    const command = "cat > notes.md <<'EOF'\nrun pytest here\nnpm install\nEOF\ngit status";
    expect(words(command)).toEqual([["cat"], ["git", "status"]]);
  });

  it("keeps Windows paths quoted or not", () => {
    expect(words('cd "C:\\Users\\me\\app\\server" && pytest')).toEqual([
      ["cd", "C:\\Users\\me\\app\\server"],
      ["pytest"],
    ]);
    expect(words("cd C:\\work\\client")).toEqual([["cd", "C:\\work\\client"]]);
  });

  it("splits subshells and keeps command substitutions inside words", () => {
    expect(words("(cd web && npm test)")).toEqual([
      ["cd", "web"],
      ["npm", "test"],
    ]);
    expect(words('echo "$(git rev-parse HEAD)" x')).toEqual([["echo", "$(git rev-parse HEAD)", "x"]]);
  });

  it("ignores comments and line continuations", () => {
    expect(words("# build it\nnpm run build \\\n  --silent")).toEqual([["npm", "run", "build", "--silent"]]);
  });

  it("never throws on unbalanced input", () => {
    expect(words(`echo "unterminated`)).toEqual([["echo", "unterminated"]]);
    expect(words("echo 'x")).toEqual([["echo", "x"]]);
    expect(words("$(")).toEqual([["$("]]);
  });
});
