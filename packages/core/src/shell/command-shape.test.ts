import { describe, expect, it } from "vitest";
import { shapeOfCommand } from "./command-shape.js";

const shape = (command: string) => shapeOfCommand(command).shape;

describe("shapeOfCommand", () => {
  it("gives runs of one operation on other files one shape, and reports the directory apart", () => {
    const a = shapeOfCommand("cd app/server && uv run pytest -q tests/test_invoices.py");
    const b = shapeOfCommand("cd app/server && uv run pytest -q tests/unit/test_users.py tests/test_auth.py");
    expect(a).toEqual({ shape: "uv run pytest -q <paths>", directories: ["app/server"], freeText: false });
    expect(b).toEqual(a);
    expect(shape("cd app/server && uv run pytest -q")).toBe("uv run pytest -q");
  });

  it("leaves out what only the agent needed: output filters, redirections, narration", () => {
    expect(shape("npm run build 2>&1 | tail -50")).toBe("npm run build");
    expect(shape("npx tsc --noEmit 2>&1 | grep error | head -20")).toBe("npx tsc --noEmit");
    expect(shape('git diff --stat; echo "---"; git log --oneline -10')).toBe(
      "git diff --stat; git log --oneline -<n>",
    );
    expect(shape("npm test > /tmp/out.log || true")).toBe("npm test");
    expect(shape("cd web")).toBe("");
    // A pipe into a real tool stays: it is part of the work.
    expect(shape("git ls-files | xargs wc -l")).toBe("git ls-files | xargs wc -l");
  });

  it("marks text the agent wrote: a commit message, a PR body, a sentence, a here-document", () => {
    expect(shapeOfCommand('git add -A && git commit -m "Fix the login form"')).toEqual({
      shape: "git add -A && git commit -m <message>",
      directories: [],
      freeText: true,
    });
    expect(shapeOfCommand("git commit -m wip").freeText).toBe(true);
    expect(shape("git commit -am fix")).toBe("git commit -am <message>");
    expect(shape('gh pr create --title "Add export" --body="It exports"')).toBe(
      "gh pr create --title <message> --body=<message>",
    );
    const heredoc = shapeOfCommand(`git commit -m "$(cat <<'EOF'\nFix it\n\nCo-Authored-By: Claude\nEOF\n)"`);
    expect(heredoc).toMatchObject({ shape: "git commit -m <message>", freeText: true });
    expect(shapeOfCommand("cat > notes.md <<'EOF'\nsome prose\nEOF").freeText).toBe(true);
    expect(shapeOfCommand('python -c "import app; print(app.VERSION)"')).toMatchObject({
      shape: "python -c <text>",
      freeText: true,
    });
    // `python -m` names a module, not a message.
    expect(shapeOfCommand("python -m pytest tests/")).toEqual({
      shape: "python -m pytest <paths>",
      directories: [],
      freeText: false,
    });
    expect(shapeOfCommand("git commit --amend --no-edit").freeText).toBe(false);
  });

  it("keeps the script an interpreter runs: an ad hoc script is another operation", () => {
    expect(shape("python3 test_fixes.py")).toBe("python3 test_fixes.py");
    expect(shape("uv run python scripts/seed.py --dry-run data/x.json")).toBe(
      "uv run python scripts/seed.py --dry-run <paths>",
    );
    expect(shape("/usr/local/bin/node /home/dev/app/scripts/build.js")).toBe("node build.js");
    expect(shape("bash ./deploy.sh staging")).toBe("bash ./deploy.sh staging");
  });

  it("turns what changes from run to run into placeholders", () => {
    expect(shape("git show 3f2a9c1b")).toBe("git show <rev>");
    expect(shape("git diff HEAD~3")).toBe("git diff HEAD~<n>");
    expect(shape("curl -s https://example.com/health")).toBe("curl -s <url>");
    expect(shape("git log -n 20 --oneline")).toBe("git log -n <n> --oneline");
    expect(shape("git clone --depth=1 https://example.com/x.git")).toBe("git clone --depth=<n> <url>");
    // A one-dash option is one word: `-count=1` is a setting, kept as written.
    expect(shape("go test -count=1 ./...")).toBe("go test -count=1 <paths>");
    expect(shape("DATABASE_URL=postgres://x/db cargo build --release")).toBe(
      "DATABASE_URL=<url> cargo build --release",
    );
    expect(shape("npm install @types/node")).toBe("npm install @types/node");
    expect(shape("npm run test:unit")).toBe("npm run test:unit");
  });

  it("reads bash -c as the script it runs, and keeps the directories of -C and --prefix", () => {
    expect(shapeOfCommand('bash -c "cd api && pytest -x"')).toEqual({
      shape: "pytest -x",
      directories: ["api"],
      freeText: false,
    });
    expect(shapeOfCommand("git -C packages/web status")).toEqual({
      shape: "git -C <paths> status",
      directories: ["packages/web"],
      freeText: false,
    });
    expect(shapeOfCommand("npm --prefix app/client run build").directories).toEqual(["app/client"]);
  });

  it("never throws on odd input", () => {
    for (const input of ["", "   ", "'unterminated", "&& ||", "$(", "a=b", "cd"]) {
      expect(() => shapeOfCommand(input)).not.toThrow();
    }
    expect(shape("FOO=1")).toBe("");
  });
});
