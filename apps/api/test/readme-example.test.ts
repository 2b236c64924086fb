import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const folder = mkdtempSync(join(tmpdir(), "patternloop-api-readme-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The first code block under the README's `## Example` heading. */
function readmeExample(): string {
  const readme = readFileSync(join(PACKAGE, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Example"));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error("README.md has no ts block under ## Example");
  return block[1];
}

/**
 * A folder of its own where the packages the example imports resolve as they do for a user who installed
 * them: this package, the workspace's db and validator, @hono/node-server, and Node's types.
 */
function exampleFolder(): string {
  const link = (name: string, target: string) => {
    mkdirSync(dirname(join(folder, "node_modules", name)), { recursive: true });
    symlinkSync(target, join(folder, "node_modules", name), "dir");
  };
  link("@patternloop/api", PACKAGE);
  for (const name of ["@patternloop/db", "@patternloop/validator", "@hono/node-server"])
    link(name, join(PACKAGE, "node_modules", name));
  link("@types/node", dirname(require.resolve("@types/node/package.json")));
  writeFileSync(join(folder, "example.mts"), readmeExample());
  writeFileSync(
    join(folder, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
      },
      files: ["example.mts"],
    }),
  );
  return folder;
}

describe("the README's example", { timeout: 120_000 }, () => {
  const cwd = exampleFolder();

  it("type-checks against the built package", () => {
    const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
    expect(() => execFileSync(process.execPath, [tsc, "-p", "."], { cwd, encoding: "utf8" })).not.toThrow();
  });

  it("runs: answers /healthz and takes a run start with the token, refuses one without", async () => {
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), "example.mts"], {
      cwd,
      env: { ...process.env, PATTERNLOOP_TOKEN: "readme-token", PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        const read = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match?.[1] !== undefined) resolve(match[1]);
        };
        child.stdout.on("data", read);
        child.stderr.on("data", read);
        child.once("exit", (code) => reject(new Error(`the example exited ${code}:\n${output}`)));
      });
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", engine: "sqlite" });
      const start = (headers: Record<string, string>) =>
        fetch(`${url}/v1/runs`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ workflow_id: "wf-readme", nl_input: "Fix the failing pytest tests" }),
        });
      expect((await start({})).status).toBe(401);
      expect((await start({ authorization: "Bearer readme-token" })).status).toBe(201);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("refuses to start without a token", () => {
    const { PATTERNLOOP_TOKEN: _token, ...env } = process.env;
    const run = () =>
      execFileSync(process.execPath, ["--import", import.meta.resolve("tsx"), "example.mts"], {
        cwd,
        env: { ...env, PORT: "0" },
        encoding: "utf8",
        stdio: "pipe",
      });
    expect(run).toThrow(/set PATTERNLOOP_TOKEN/);
  });
});
