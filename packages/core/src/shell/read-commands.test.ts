import { describe, expect, it } from "vitest";
import { readShellCommands } from "./read-commands.js";

const programs = (command: string) => readShellCommands(command).map((c) => [c.program, ...c.args].join(" "));

describe("readShellCommands", () => {
  it("gives a command the directory of the cd before it", () => {
    expect(readShellCommands("cd app/server && uv run pytest -q")).toEqual([
      { program: "pytest", args: ["-q"], dirs: ["app/server"] },
    ]);
    expect(readShellCommands("cd web; npm test")[0]?.dirs).toEqual(["web"]);
    expect(readShellCommands("cd app/client && cd ../server && pytest")[0]?.dirs).toEqual(["app/server"]);
  });

  it("sees through wrappers and environment prefixes", () => {
    expect(programs("CI=true pnpm exec vitest run")).toEqual(["vitest run"]);
    expect(programs("SECRET_KEY=x ENVIRONMENT=testing uv run python -m pytest")).toEqual(["pytest"]);
    expect(programs("nix develop -c go test ./internal/build")).toEqual(["go test ./internal/build"]);
    expect(programs("timeout 60 npx --yes tsc --noEmit")).toEqual(["tsc --noEmit"]);
    expect(programs("bunx eslint .")).toEqual(["eslint ."]);
    expect(programs("python3 -u -m pytest tests")).toEqual(["pytest tests"]);
    expect(programs("env NODE_ENV=test sudo -u app npm ci")).toEqual(["npm ci"]);
    expect(programs('bash -c "cd api && pytest"')).toEqual(["pytest"]);
    expect(programs("bundle exec rspec spec/models")).toEqual(["rspec spec/models"]);
  });

  it("reads directory options as directories", () => {
    expect(readShellCommands("npm --prefix app/client run build")).toEqual([
      { program: "npm", args: ["run", "build"], dirs: ["app/client"] },
    ]);
    expect(readShellCommands("git -C backend status")[0]).toEqual({
      program: "git",
      args: ["status"],
      dirs: ["backend"],
    });
    expect(readShellCommands("docker compose exec -T api pytest -x")[0]).toEqual({
      program: "pytest",
      args: ["-x"],
      dirs: ["api"],
    });
  });

  it("normalises program paths and Windows executables", () => {
    expect(programs("./node_modules/.bin/vitest run")).toEqual(["vitest run"]);
    expect(programs('"C:\\Python311\\python.exe" -m pytest')).toEqual(["pytest"]);
    expect(readShellCommands('cd "C:\\repo\\app\\server" && pytest')[0]?.dirs).toEqual([
      "C:/repo/app/server",
    ]);
  });

  it("does not run what only looks like a command", () => {
    expect(programs("echo 'pytest && npm test'")).toEqual(["echo pytest && npm test"]);
    expect(programs("cat <<EOF > plan.md\nnpm install\nEOF")).toEqual(["cat"]);
    expect(programs("python -c 'import pytest'")).toEqual(["python -c import pytest"]);
  });
});
